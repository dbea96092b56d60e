import type Docker from 'dockerode';
import { StowageError, toStowageError, type BuildEvent, type ContainerRegistry } from '@stowage/core';
import type { BuildDeadline } from './BuildDeadline.js';
import type { EngineProgressEvent } from './BuildTranscript.js';
import { engineMessage } from './engineMessage.js';
import { engineUnavailable, isEngineUnreachable } from './engineUnavailable.js';
import { followEngineProgress } from './followEngineProgress.js';
import { repositoryInRegistry, splitImageReference } from './imageReference.js';
import { PLUGIN_NAME } from './pluginName.js';
import type { EngineAddress } from './resolveEngineAddress.js';
import { selectPushedDigest } from './selectPushedDigest.js';

/** Where a push goes: the image's repository and tag, and the repository's path inside the registry. */
export interface PushTarget {
  repository: string;
  tag: string;
  inRegistry: string;
}

export interface PushRequest {
  imageName: string;
  registry: ContainerRegistry;
  target: PushTarget;
  deadline: BuildDeadline;
  onEvent(event: BuildEvent): void;
}

/**
 * Where an image would be pushed, or REGISTRY_FAILED when its name points at another registry.
 * Checked before building, so a misnamed image fails in a moment instead of after a full build.
 */
export function pushTargetOf(imageName: string, registry: ContainerRegistry): PushTarget {
  const { repository, tag } = splitImageReference(imageName);
  const inRegistry = repositoryInRegistry(repository, registry.uri);
  if (inRegistry === undefined) {
    throw pushError(`image ${imageName} does not belong to container registry ${registry.uri}`, {
      hint: `name the image ${registry.uri}/<repository>:<tag>, or push it to the registry it names`,
    });
  }
  return { repository, tag, inRegistry };
}

/** Pushes a local image to the stack's registry and returns the manifest digest (`sha256:…`). */
export async function pushImage(docker: Docker, engine: EngineAddress, request: PushRequest): Promise<string> {
  const { imageName, registry, target } = request;
  const { repository, tag } = target;
  const authconfig = await registryAccess(registry, target.inRegistry);
  const events = await runPush(docker, engine, request, { repository, tag, authconfig });
  const auxDigests = events.flatMap((e) => digestOf(e.aux));
  const inspected = await docker.getImage(imageName).inspect().catch((error: unknown) => {
    throw toStowageError(error, { code: 'REGISTRY_FAILED', plugin: PLUGIN_NAME, message: `reading back the digest of ${imageName}` });
  });
  return selectPushedDigest(repository, auxDigests, inspected.RepoDigests ?? []);
}

/** Runs the registry's prepare hook and returns the push auth config (never logged). */
async function registryAccess(registry: ContainerRegistry, repository: string): Promise<PushCall['authconfig']> {
  try {
    await registry.prepareRepository?.(repository);
    const credentials = await registry.credentials();
    // Anonymous pushes still send an (empty) X-Registry-Auth header: some engines refuse a push without one.
    return credentials ? { username: credentials.username, password: credentials.password, serveraddress: registry.uri } : {};
  } catch (error) {
    throw toStowageError(error, {
      code: 'REGISTRY_FAILED',
      plugin: PLUGIN_NAME,
      message: `preparing the push of ${repository} to ${registry.uri} failed`,
    });
  }
}

interface PushCall {
  repository: string;
  tag: string;
  authconfig: Docker.AuthConfig | Record<string, never>;
}

async function runPush(docker: Docker, engine: EngineAddress, request: PushRequest, call: PushCall): Promise<EngineProgressEvent[]> {
  const { imageName, registry, deadline } = request;
  const seen = new Map<string, string>();
  const onProgress = (event: EngineProgressEvent): void => {
    if (typeof event.status !== 'string') return;
    // Layer progress repeats the same status many times a second; report each change once.
    const key = event.id ?? '';
    if (seen.get(key) === event.status) return;
    seen.set(key, event.status);
    request.onEvent({ type: 'push', message: event.id ? `${event.id}: ${event.status}` : event.status });
  };
  let events: EngineProgressEvent[];
  try {
    const stream = await docker
      .getImage(call.repository)
      .push({ tag: call.tag, authconfig: call.authconfig as Docker.AuthConfig, abortSignal: deadline.signal });
    events = await followEngineProgress(docker, stream, deadline.signal, onProgress);
  } catch (error) {
    if (deadline.aborted) throw deadline.error(`pushing ${imageName} to ${registry.uri}`);
    if (isEngineUnreachable(error)) throw engineUnavailable(engine, error);
    throw pushError(`pushing ${imageName} to ${registry.uri} failed: ${engineMessage(error)}`, { cause: error });
  }
  // Aborting closes the progress stream, which then ends normally with the events so far: without
  // this check a Ctrl-C or timeout mid-push would surface as a missing digest.
  if (deadline.aborted) throw deadline.error(`pushing ${imageName} to ${registry.uri}`);
  const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
  if (failed) {
    const reason = failed.errorDetail?.message || failed.error || 'unknown error';
    throw pushError(`pushing ${imageName} to ${registry.uri} failed: ${reason}`, { hint: credentialHint(reason) });
  }
  return events;
}

function digestOf(aux: unknown): string[] {
  const digest = (aux as { Digest?: unknown } | undefined)?.Digest;
  return typeof digest === 'string' ? [digest] : [];
}

// Engine wording for a registry that refused the credentials it got, or wanted some.
const AUTH_REFUSED = /unauthorized|authentication required|401|denied/i;

function credentialHint(reason: string): string | undefined {
  if (/no basic auth credentials/i.test(reason)) {
    return 'the registry wants credentials and the container registry component gave none: configure its authentication secret (or connector)';
  }
  if (AUTH_REFUSED.test(reason)) {
    return "the registry refused the credentials: check the container registry component's authentication secret (or connector) and the account's push rights";
  }
  return undefined;
}

function pushError(message: string, extra: { hint?: string; cause?: unknown }): StowageError {
  return new StowageError(message, { code: 'REGISTRY_FAILED', plugin: PLUGIN_NAME, ...extra });
}
