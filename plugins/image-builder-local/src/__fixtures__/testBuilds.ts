import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import {
  StowageError,
  type BuildContextSource,
  type BuildEvent,
  type ContainerRegistry,
  type ContainerRegistryDescription,
  type DependencyHandle,
  type FlavorContext,
  type ImageBuildRequest,
  type RegistryAuth,
  type RegistryAuthScope,
} from '@stowage/plugin-api';

/** Unique per test run: image tags, the LABEL every test Dockerfile carries, RUN markers. */
export const RUN_ID = randomUUID().slice(0, 8);
export const TEST_LABEL = 'stowage-test';
export const RUN_LABEL = 'stowage-test-run';

/** `FROM <base>` plus the labels that let the cleanup find every image (intermediates too). */
export function dockerfile(base: string, ...instructions: string[]): string {
  return [`FROM ${base}`, `LABEL ${TEST_LABEL}=1 ${RUN_LABEL}=${RUN_ID}`, ...instructions, ''].join('\n');
}

/** A context for builds that never reach an engine: an empty tar that counts how often it was opened. */
export function countingContext(): BuildContextSource & { opened: number } {
  const source = {
    opened: 0,
    open() {
      source.opened++;
      return Readable.from([Buffer.alloc(1024)]);
    },
    digest: async () => 'sha256:not-used-by-the-builder',
  };
  return source;
}

/** A build request that records its events. */
export function requestFor(
  imageName: string,
  context: BuildContextSource,
  extra: Partial<ImageBuildRequest> = {},
): ImageBuildRequest & { events: BuildEvent[] } {
  const events: BuildEvent[] = [];
  return {
    imageName,
    context,
    options: {},
    builderOptions: {},
    push: false,
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
    events,
    ...extra,
  };
}

/** What a flavor's `create` gets from the host, here with no processes to run. */
export function flavorContext(env: Record<string, string | undefined> = {}): FlavorContext {
  return {
    stackName: 'default',
    componentKey: 'image_builder',
    projectRoot: '/tmp',
    runner: { run: () => Promise.reject(new Error('the local image builder runs no processes')) },
    env,
    secrets: { add: () => undefined },
  };
}

/** A tiny ContainerRegistry (as a stack's registry component would be): one answer to `auth`, every scope recorded. */
export function fakeRegistry(answer: RegistryAuth | (() => Promise<RegistryAuth>)): ContainerRegistry & { scopes: RegistryAuthScope[] } {
  const scopes: RegistryAuthScope[] = [];
  return {
    scopes,
    auth: async (scope) => {
      scopes.push(scope);
      return typeof answer === 'function' ? answer() : answer;
    },
    imageExists: async () => 'unknown',
    resolveDigest: async () => undefined,
  };
}

/** The lazy handle the host injects for a dependency; counts how often the component was asked for. */
export function registryHandle(registry: ContainerRegistry, uri = '127.0.0.1:5001'): DependencyHandle<ContainerRegistry, ContainerRegistryDescription> & { gets: number } {
  const handle = {
    flavor: 'fake',
    description: { uri },
    gets: 0,
    get: async () => {
      handle.gets++;
      return registry;
    },
  };
  return handle;
}

/** The rejection of a promise, which must be a StowageError. */
export async function stowageFailure(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => new Error('expected a StowageError, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw error;
  return error;
}

interface BasicCredentials {
  username: string;
  password: string;
}

function registryHeaders(auth?: BasicCredentials): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
  };
  if (auth) headers['Authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return headers;
}

/** `Docker-Content-Digest` of a tag, as the registry reports it. */
export async function registryDigest(hostPort: string, repository: string, tag: string, auth?: BasicCredentials): Promise<string | null> {
  const response = await fetch(`http://${hostPort}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: registryHeaders(auth) });
  return response.ok ? response.headers.get('docker-content-digest') : null;
}

/** Deletes a pushed manifest (the loopback registries allow deletes), so test runs do not pile up. */
export async function deleteFromRegistry(hostPort: string, repository: string, digest: string, auth?: BasicCredentials): Promise<void> {
  await fetch(`http://${hostPort}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: registryHeaders(auth) }).catch(() => undefined);
}

/** Containers whose command contains a marker (classic-builder RUN containers of one test). */
export async function containersWith(docker: Docker, marker: string): Promise<Docker.ContainerInfo[]> {
  return (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(marker));
}

/** Removes the images this run created: the tagged ones, then the untagged intermediates. */
export async function removeTestImages(docker: Docker): Promise<void> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${RUN_ID}`] });
  // A just-cancelled build may still hold its layers for a moment: retry a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    const images = await docker.listImages({ all: true, filters });
    if (images.length === 0) return;
    for (const image of images) {
      for (const tag of image.RepoTags ?? []) if (tag !== '<none>:<none>') await docker.getImage(tag).remove().catch(() => undefined);
    }
    for (const image of images) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
