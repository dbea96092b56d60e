/** `<repository>:<tag>` split at the tag colon (not a registry port's colon). */
export interface ImageReference {
  repository: string;
  tag: string;
}

/** Splits an image name; a name without a tag means `latest`, as `docker push` would. */
export function splitImageReference(imageName: string): ImageReference {
  const lastSlash = imageName.lastIndexOf('/');
  const colon = imageName.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: imageName, tag: 'latest' };
  return { repository: imageName.slice(0, colon), tag: imageName.slice(colon + 1) };
}

// Docker Hub names are spelled several ways; ZenML compares them without these prefixes.
function withoutHubPrefix(name: string): string {
  return name.replace(/^(index\.)?docker\.io\//, '');
}

/**
 * The repository path inside the registry (`team/app` for `ghcr.io/acme/team/app` in
 * `ghcr.io/acme`), or undefined when the repository does not belong to that registry.
 */
export function repositoryInRegistry(repository: string, registryUri: string): string | undefined {
  const repo = withoutHubPrefix(repository);
  const uri = withoutHubPrefix(registryUri.replace(/\/+$/, ''));
  return repo.startsWith(`${uri}/`) ? repo.slice(uri.length + 1) : undefined;
}

/** How the engine may spell a repository in `RepoDigests` (it drops `docker.io/` and `library/`). */
export function repositorySpellings(repository: string): string[] {
  const short = withoutHubPrefix(repository);
  const spellings = new Set([repository, short, short.replace(/^library\//, '')]);
  return [...spellings];
}
