import { parseImageReference } from '@stowage/oci';
import { StowageError } from '@stowage/plugin-api';

/** `registry/repository` with Docker Hub's spellings folded (`acme/app` = `docker.io/acme/app`), or undefined. */
function normalizedRepository(name: string): string | undefined {
  try {
    const { registry, repository } = parseImageReference(name);
    return `${registry}/${repository}`;
  } catch {
    return undefined;
  }
}

/**
 * The `sha256:…` manifest digest of a push. The push stream's `aux.Digest` is what the registry
 * accepted; the image's `RepoDigests` entry for the repository must agree with it. Without an
 * `aux.Digest` (older engines), the `RepoDigests` entry is used, as ZenML's `push_image` does.
 */
export function selectPushedDigest(repository: string, auxDigests: readonly string[], repoDigests: readonly string[]): string {
  const pushedRepository = normalizedRepository(repository);
  const recorded = repoDigests
    .map((entry) => entry.split('@'))
    .filter(([repo, digest]) => digest !== undefined && normalizedRepository(repo ?? '') === pushedRepository)
    .map(([, digest]) => digest as string);
  const pushed = auxDigests.at(-1);
  if (pushed && (recorded.length === 0 || recorded.includes(pushed))) return pushed;
  if (pushed) {
    throw new StowageError(`the engine reported digest ${pushed} for the push of ${repository}, but the image records ${recorded.join(', ')}`, {
      code: 'REGISTRY_FAILED',
      hint: 'push again; if it persists, remove the local image and rebuild',
    });
  }
  const [first] = recorded;
  if (first) return first;
  throw new StowageError(`unable to find the repository digest after pushing ${repository}`, {
    code: 'REGISTRY_FAILED',
    hint: 'the engine reported no digest for the push; check that the registry accepted it (docker push by hand shows why)',
  });
}
