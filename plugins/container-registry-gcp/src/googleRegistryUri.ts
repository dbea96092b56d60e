import { parseRegistryUri } from '@stowage/oci';

/**
 * Where Google serves Docker images, by host:
 * - Artifact Registry, `<location>-docker.pkg.dev/<project>/<repository>/<image>`;
 * - Container Registry, `[us.|eu.|asia.]gcr.io/<project>/<image>` (since 2025 served by
 *   Artifact Registry from a repository named after the host, e.g. `gcr.io` in `us`).
 * A domain-scoped project `example.com:my-project` is written `example.com/my-project` in paths.
 */
export type GoogleRegistryUri =
  | { kind: 'artifact-registry'; host: string; location: string; project: string; repository: string; path?: string }
  | { kind: 'container-registry'; host: string; project: string; path?: string };

export const AR_URI_EXAMPLE = 'europe-west1-docker.pkg.dev/my-project/images';
export const GCR_URI_EXAMPLE = 'gcr.io/my-project';

/** An Artifact Registry location: a multi-region (`us`, `europe`, `asia`) or a region (`us-central1`). */
export const LOCATION_PATTERN = /^[a-z]+(?:-[a-z]+[0-9]+)?$/;
/** An Artifact Registry repository id: lower-case letters, digits and hyphens, starting with a letter. */
export const AR_REPOSITORY_PATTERN = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const AR_HOST = /^([a-z]+(?:-[a-z]+[0-9]+)?)-docker\.pkg\.dev$/;

/** The Container Registry hosts and the Artifact Registry repository (and location) that serves each. */
const GCR_HOSTS: Readonly<Record<string, { repository: string; location: string }>> = {
  'gcr.io': { repository: 'gcr.io', location: 'us' },
  'us.gcr.io': { repository: 'us.gcr.io', location: 'us' },
  'eu.gcr.io': { repository: 'eu.gcr.io', location: 'europe' },
  'asia.gcr.io': { repository: 'asia.gcr.io', location: 'asia' },
};

/** True for an Artifact Registry (`*-docker.pkg.dev`) or Container Registry (`gcr.io`, …) host. */
export function isGoogleRegistryHost(host: string): boolean {
  return AR_HOST.test(host) || host in GCR_HOSTS;
}

export type ParsedGoogleUri = { uri: GoogleRegistryUri } | { problem: string } | { notGoogle: true };

/** Reads a configured `uri` on a Google host; `notGoogle` for any other host (or no host at all). */
export function parseGoogleRegistryUri(uri: string): ParsedGoogleUri {
  const parsed = parseRegistryUri(uri);
  if (!parsed) return { notGoogle: true };
  const host = parsed.registry;
  const location = AR_HOST.exec(host)?.[1];
  if (location === undefined && !(host in GCR_HOSTS)) return { notGoogle: true };
  const segments = parsed.path?.split('/') ?? [];
  const project = projectOfPath(segments);
  if (location === undefined) {
    if (!project) return { problem: `a Container Registry uri names the project: \`${host}/<project>\` (e.g. \`${GCR_URI_EXAMPLE}\`)` };
    return { uri: { kind: 'container-registry', host, project: project.id, ...rest(segments, project.used) } };
  }
  if (!project) return { problem: `an Artifact Registry uri names the project and the repository: \`${host}/<project>/<repository>\` (e.g. \`${AR_URI_EXAMPLE}\`)` };
  const repository = segments[project.used];
  if (!repository) {
    return { problem: `an Artifact Registry uri names the repository after the project: \`${host}/${segments.slice(0, project.used).join('/')}/<repository>\` (images live in a repository, which must exist)` };
  }
  if (!AR_REPOSITORY_PATTERN.test(repository)) {
    return { problem: `"${repository}" is not an Artifact Registry repository id: lower-case letters, digits and hyphens, starting with a letter` };
  }
  return { uri: { kind: 'artifact-registry', host, location, project: project.id, repository, ...rest(segments, project.used + 1) } };
}

/** `example.com/my-project` → `example.com:my-project`; how many path segments the project took. */
function projectOfPath(segments: readonly string[]): { id: string; used: number } | undefined {
  const [first, second] = segments;
  if (first && DOMAIN.test(first)) return second && PROJECT_ID.test(second) ? { id: `${first}:${second}`, used: 2 } : undefined;
  return first && PROJECT_ID.test(first) ? { id: first, used: 1 } : undefined;
}

function rest(segments: readonly string[], from: number): { path?: string } {
  return segments.length > from ? { path: segments.slice(from).join('/') } : {};
}

/** How a project is written in an image path: `example.com:my-project` → `example.com/my-project`. */
export function projectPath(project: string): string {
  return project.replace(':', '/');
}

/**
 * The Artifact Registry repository a Docker repository path (`<project>/<repository>/<image>`)
 * lives in, on a registry laid out as Artifact Registry; undefined when the path is too short.
 */
export function artifactRepositoryOf(dockerRepository: string): { project: string; repository: string } | undefined {
  const segments = dockerRepository.split('/');
  const project = projectOfPath(segments);
  const repository = project && segments[project.used];
  return project && repository ? { project: project.id, repository } : undefined;
}

/** The Artifact Registry repository serving a Container Registry host. */
export function gcrRepositoryOf(host: string): { repository: string; location: string } | undefined {
  return GCR_HOSTS[host];
}
