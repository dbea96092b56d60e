import type Docker from 'dockerode';
import { toStowageError, type ContainerRegistry } from '@stowage/core';
import { PLUGIN_NAME } from './pluginName.js';

// The engine looks Docker Hub credentials up under the v1 index address, not under a host name.
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/** The key the engine finds a registry's credentials under in X-Registry-Config (`127.0.0.1:5001`, `ghcr.io`). */
export function registryConfigKey(registryUri: string): string {
  const host = registryUri.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? registryUri;
  return DOCKER_HUB_HOSTS.has(host) ? DOCKER_HUB_CONFIG_KEY : host;
}

/**
 * Build parameters that let a build pull its parent image (`FROM`) from the stack's own registry:
 * the registry's credentials as `registryconfig`, which dockerode sends as X-Registry-Config. The
 * classic builder looks them up by registry host, so no other registry ever sees them.
 *
 * BuildKit builds get none. BuildKit asks for credentials over dockerode's session, and dockerode
 * answers every such request with the one `authconfig` it was given, whatever host is asked about:
 * the stack registry's password would go to every registry the Dockerfile pulls from (Docker Hub
 * included; with dockerd 20.10 a `FROM` on another registry received them). See the README's Security notes.
 */
export async function registryPullAuth(
  registry: ContainerRegistry | undefined,
  buildkit: boolean,
): Promise<{ registryconfig?: Docker.RegistryConfig }> {
  if (!registry || buildkit) return {};
  const credentials = await registry.credentials().catch((error: unknown) => {
    throw toStowageError(error, {
      code: 'REGISTRY_FAILED',
      plugin: PLUGIN_NAME,
      message: `reading the credentials of container registry ${registry.uri} failed`,
    });
  });
  if (!credentials) return {};
  const { username, password } = credentials;
  return { registryconfig: { [registryConfigKey(registry.uri)]: { username, password } } };
}
