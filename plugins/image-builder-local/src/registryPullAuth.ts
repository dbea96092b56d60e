import type Docker from 'dockerode';
import { defaultServerUrl, parseImageReference, parseRegistryUri } from '@stowage/oci';
import type { ContainerRegistry, ContainerRegistryDescription, DependencyHandle } from '@stowage/plugin-api';
import { askRegistryAuth } from './askRegistryAuth.js';
import { engineAuthConfig } from './engineAuthConfig.js';

/**
 * Build parameters that let a build pull its parent image (`FROM`) from the stack's own registry:
 * the registry's pull credentials as `registryconfig`, which dockerode sends as X-Registry-Config.
 * The classic builder looks them up by registry host (`defaultServerUrl`: Docker Hub under its v1
 * index address), so no other registry ever sees them.
 *
 * Only for an image that lives in the stack registry (its host equals the host of the registry's
 * described `uri`): a local intermediate image (`stowage:…-intermediate`) parses as a Docker Hub
 * name, and the stack registry's login must never be offered to Docker Hub. The scope is that
 * image's repository, which is where the plan's own parents (dependency images) live.
 *
 * Never for a BuildKit build (the caller builds with the classic builder when a login is needed). BuildKit asks for credentials over dockerode's session, and dockerode
 * answers every such request with the one `authconfig` it was given, whatever host is asked about:
 * the stack registry's password would go to every registry the Dockerfile pulls from (Docker Hub
 * included; with dockerd 20.10 a `FROM` on another registry received them). See the README's Security notes.
 */
export async function registryPullAuth(
  registry: DependencyHandle<ContainerRegistry, ContainerRegistryDescription> | undefined,
  imageName: string,
): Promise<{ registryconfig?: Docker.RegistryConfig }> {
  if (!registry) return {};
  const { registry: host, repository } = parseImageReference(imageName);
  const stackHost = parseRegistryUri(registry.description.uri)?.registry;
  if (!stackHost || stackHost !== host) return {};
  const auth = engineAuthConfig(await askRegistryAuth(registry, { repository, actions: ['pull'] }), defaultServerUrl(host));
  if (!auth) return {};
  // RegistryConfig is typed for user and password only; the engine reads every AuthConfig field.
  return { registryconfig: { [defaultServerUrl(host)]: auth } as unknown as Docker.RegistryConfig };
}

/**
 * Whether a Dockerfile pulls a parent from the stack's registry (its host): the only pulls the
 * stack registry's login is for.
 */
export function pullsFromStackRegistry(registry: DependencyHandle<ContainerRegistry, ContainerRegistryDescription> | undefined, parents: readonly string[]): boolean {
  const stackHost = registry && parseRegistryUri(registry.description.uri)?.registry;
  if (!stackHost) return false;
  return parents.some((parent) => {
    try {
      return parseImageReference(parent).registry === stackHost;
    } catch {
      return false; // `FROM ${ARG}` and the like: not a reference the builder can check
    }
  });
}

/** Build options BuildKit ignores (resource limits, squash): a build that sets one needs the classic builder. */
export function classicOnlyOptions(params: Record<string, unknown>): string[] {
  return ['memory', 'memswap', 'cpushares', 'cpusetcpus', 'cpuperiod', 'cpuquota', 'squash'].filter((key) => params[key] !== undefined && params[key] !== false);
}

/**
 * The Engine API builder of one build and what it is given. `auto` is BuildKit unless the build
 * pulls a parent from the stack registry with a login (the classic builder sends that login to
 * that registry alone; BuildKit's session would hand it to every registry) or sets an option
 * only the classic builder honours; `true` is BuildKit without any login, `false` the classic
 * builder with it.
 */
export function builderFor(
  setting: boolean | 'auto',
  login: { registryconfig?: Docker.RegistryConfig },
  classicOnly: readonly string[] = [],
): { version: '2' } | { version?: undefined; registryconfig?: Docker.RegistryConfig } {
  const buildkit = setting === 'auto' ? !login.registryconfig && !classicOnly.length : setting;
  return buildkit ? { version: '2' } : login;
}
