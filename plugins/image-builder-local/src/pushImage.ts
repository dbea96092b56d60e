import type Docker from 'dockerode';
import { defaultServerUrl, parseImageReference, repositoryOf } from '@stowage/oci';
import { StowageError, toStowageError, type BuildEvent, type ContainerRegistry, type DependencyHandle } from '@stowage/plugin-api';
import type { BuildDeadline } from './BuildDeadline.js';
import type { EngineProgressEvent } from './BuildTranscript.js';
import { askRegistryAuth } from './askRegistryAuth.js';
import { engineAuthConfig } from './engineAuthConfig.js';
import { engineMessage } from './engineMessage.js';
import { engineUnavailable, isEngineUnreachable } from './engineUnavailable.js';
import { followEngineProgress } from './followEngineProgress.js';
import type { EngineAddress } from './resolveEngineAddress.js';
import { selectPushedDigest } from './selectPushedDigest.js';

export interface PushRequest {
  imageName: string;
  registry: DependencyHandle<ContainerRegistry>;
  deadline: BuildDeadline;
  onEvent(event: BuildEvent): void;
}

/** The engine's push call: `<repository>` and tag, with the registry's answer as X-Registry-Auth. */
interface PushCall {
  repository: string;
  tag: string;
  authconfig: Docker.AuthConfig;
}

/**
 * Pushes a local image to the stack's registry and returns the manifest digest (`sha256:…`).
 * The registry is asked for push credentials now (not at build time: tokens expire); the host
 * has already called its `prepareRepository`.
 */
export async function pushImage(docker: Docker, engine: EngineAddress, request: PushRequest): Promise<string> {
  const { imageName, registry } = request;
  const reference = parseImageReference(imageName);
  const auth = await askRegistryAuth(registry, { repository: reference.repository, actions: ['pull', 'push'] });
  // Anonymous pushes still send an (empty) X-Registry-Auth header: some engines refuse a push without one.
  const authconfig = engineAuthConfig(auth, defaultServerUrl(reference.registry)) ?? ({} as Docker.AuthConfig);
  const repository = repositoryOf(imageName);
  const events = await runPush(docker, engine, request, { repository, tag: reference.tag ?? 'latest', authconfig });
  const auxDigests = events.flatMap((e) => digestOf(e.aux));
  const inspected = await docker.getImage(imageName).inspect().catch((error: unknown) => {
    throw toStowageError(error, { code: 'REGISTRY_FAILED', message: `reading back the digest of ${imageName}` });
  });
  return selectPushedDigest(repository, auxDigests, inspected.RepoDigests ?? []);
}

async function runPush(docker: Docker, engine: EngineAddress, request: PushRequest, call: PushCall): Promise<EngineProgressEvent[]> {
  const { imageName, deadline } = request;
  const what = `pushing ${imageName}`;
  let events: EngineProgressEvent[];
  try {
    const stream = await docker.getImage(call.repository).push({ tag: call.tag, authconfig: call.authconfig, abortSignal: deadline.signal });
    events = await followEngineProgress(docker, stream, deadline.signal, pushProgress(request.onEvent));
  } catch (error) {
    if (deadline.aborted) throw deadline.error(what);
    if (isEngineUnreachable(error)) throw engineUnavailable(engine, error);
    throw pushError(`${what} failed: ${engineMessage(error)}`, { cause: error });
  }
  // Aborting closes the progress stream, which then ends normally with the events so far: without
  // this check a Ctrl-C or timeout mid-push would surface as a missing digest.
  if (deadline.aborted) throw deadline.error(what);
  const failed = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
  if (failed) {
    const reason = failed.errorDetail?.message || failed.error || 'unknown error';
    throw pushError(`${what} failed: ${reason}`, { hint: credentialHint(reason) });
  }
  return events;
}

/** `push` events, each layer status once (layer progress repeats the same status many times a second). */
function pushProgress(onEvent: (event: BuildEvent) => void): (event: EngineProgressEvent) => void {
  const seen = new Map<string, string>();
  return (event) => {
    if (typeof event.status !== 'string') return;
    const key = event.id ?? '';
    if (seen.get(key) === event.status) return;
    seen.set(key, event.status);
    onEvent({ type: 'push', message: event.id ? `${event.id}: ${event.status}` : event.status });
  };
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
  return new StowageError(message, { code: 'REGISTRY_FAILED', ...extra });
}
