import { StowageError } from '@stowage/core';
import { repositorySpellings } from './imageReference.js';
import { PLUGIN_NAME } from './pluginName.js';

/**
 * The `sha256:…` manifest digest of a push. The push stream's `aux.Digest` is what the registry
 * accepted; the image's `RepoDigests` entry for the repository must agree with it. Without an
 * `aux.Digest` (older engines), the `RepoDigests` entry is used, as ZenML's `push_image` does.
 */
export function selectPushedDigest(repository: string, auxDigests: readonly string[], repoDigests: readonly string[]): string {
  const spellings = repositorySpellings(repository);
  const recorded = repoDigests
    .map((entry) => entry.split('@'))
    .filter(([repo, digest]) => digest !== undefined && spellings.includes(repo ?? ''))
    .map(([, digest]) => digest as string);
  const pushed = auxDigests.at(-1);
  if (pushed && (recorded.length === 0 || recorded.includes(pushed))) return pushed;
  if (pushed) {
    throw new StowageError(
      `the engine reported digest ${pushed} for the push of ${repository}, but the image records ${recorded.join(', ')}`,
      { code: 'REGISTRY_FAILED', plugin: PLUGIN_NAME, hint: 'push again; if it persists, remove the local image and rebuild' },
    );
  }
  const [first] = recorded;
  if (first) return first;
  throw new StowageError(`unable to find the repository digest after pushing ${repository}`, {
    code: 'REGISTRY_FAILED',
    plugin: PLUGIN_NAME,
    hint: 'the engine reported no digest for the push; check that the registry accepted it (docker push by hand shows why)',
  });
}
