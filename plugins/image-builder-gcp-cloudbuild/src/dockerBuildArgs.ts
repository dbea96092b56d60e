import type { BuildOptionField, BuildOptions } from '@stowage/plugin-api';

/** The BuildOptions the build step's `docker build` honours (flags both the classic builder and BuildKit accept). */
export const HONOURED_BUILD_OPTIONS = ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom', 'shmSize'] as const satisfies readonly BuildOptionField[];

const pairs = (flag: string, values: Readonly<Record<string, string>> | undefined) =>
  Object.entries(values ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([k, v]) => [flag, `${k}=${v}`]);

// The same flag table as @stowage/image-builder-aws-codebuild's (plugins may not import each other):
// it belongs in @stowage/plugin-api, next to BuildOptions.
/** `docker build` flags for the honoured options except `network` (the step sets it), in a fixed order. */
function optionFlags(options: BuildOptions): string[] {
  return [
    ...pairs('--build-arg', options.buildArgs),
    ...pairs('--label', options.labels),
    ...(options.target ? ['--target', options.target] : []),
    ...(options.platform ? ['--platform', options.platform] : []),
    ...(options.pull ? ['--pull'] : []),
    ...(options.noCache ? ['--no-cache'] : []),
    ...(options.extraHosts ?? []).flatMap((h) => ['--add-host', h]),
    ...(options.cacheFrom ?? []).flatMap((c) => ['--cache-from', c]),
    ...(options.shmSize !== undefined ? ['--shm-size', `${options.shmSize}b`] : []),
  ];
}

/**
 * The args of the builder's `docker build`, as ZenML's step (`build --network=<network> -t <image>
 * .`) but with every option before the context path (ZenML appends them after it). A `network`
 * build option wins over the configured network.
 */
export function dockerBuildArgs(imageName: string, network: string, options: BuildOptions): string[] {
  return ['build', `--network=${options.network ?? network}`, '-t', imageName, ...optionFlags(options), '.'];
}
