import type { BuildOptionField, BuildOptions } from './BuildOptions.js';

/**
 * The BuildOptions a `docker build` command line can carry with flags both the classic builder and
 * BuildKit accept: what builders that run the docker CLI remotely (CodeBuild, Cloud Build) honour.
 */
export const DOCKER_CLI_BUILD_OPTIONS = ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom', 'shmSize'] as const satisfies readonly BuildOptionField[];

const pairs = (flag: string, values: Readonly<Record<string, string>> | undefined) =>
  Object.entries(values ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([k, v]) => [flag, `${k}=${v}`]);

/**
 * `docker build` flags for the options of {@link DOCKER_CLI_BUILD_OPTIONS}, in a fixed order (so
 * the same options give the same command), as separate words: quote them for a shell if needed.
 * `omit: ['network']` leaves out an option the caller sets itself.
 */
export function dockerBuildFlags(options: BuildOptions, omit: readonly BuildOptionField[] = []): string[] {
  const o = (field: BuildOptionField) => !omit.includes(field);
  return [
    ...(o('buildArgs') ? pairs('--build-arg', options.buildArgs) : []),
    ...(o('labels') ? pairs('--label', options.labels) : []),
    ...(o('target') && options.target ? ['--target', options.target] : []),
    ...(o('platform') && options.platform ? ['--platform', options.platform] : []),
    ...(o('pull') && options.pull ? ['--pull'] : []),
    ...(o('noCache') && options.noCache ? ['--no-cache'] : []),
    ...(o('network') && options.network ? ['--network', options.network] : []),
    ...(o('extraHosts') ? (options.extraHosts ?? []).flatMap((h) => ['--add-host', h]) : []),
    ...(o('cacheFrom') ? (options.cacheFrom ?? []).flatMap((c) => ['--cache-from', c]) : []),
    ...(o('shmSize') && options.shmSize !== undefined ? ['--shm-size', `${options.shmSize}b`] : []),
  ];
}
