import type { BuildOptionField, BuildOptions } from '@stowage/plugin-api';

/** The BuildOptions the buildspec's `docker build` honours (flags both the classic builder and BuildKit accept). */
export const HONOURED_BUILD_OPTIONS = ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network', 'extraHosts', 'cacheFrom', 'shmSize'] as const satisfies readonly BuildOptionField[];

/** A word for `/bin/sh`: single-quoted unless it is plainly safe. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

const pairs = (flag: string, values: Readonly<Record<string, string>> | undefined) =>
  Object.entries(values ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([k, v]) => [flag, `${k}=${v}`]);

/** `docker build` flags for the honoured options, in a fixed order. */
export function dockerBuildFlags(options: BuildOptions): string[] {
  return [
    ...pairs('--build-arg', options.buildArgs),
    ...pairs('--label', options.labels),
    ...(options.target ? ['--target', options.target] : []),
    ...(options.platform ? ['--platform', options.platform] : []),
    ...(options.pull ? ['--pull'] : []),
    ...(options.noCache ? ['--no-cache'] : []),
    ...(options.network ? ['--network', options.network] : []),
    ...(options.extraHosts ?? []).flatMap((h) => ['--add-host', h]),
    ...(options.cacheFrom ?? []).flatMap((c) => ['--cache-from', c]),
    ...(options.shmSize !== undefined ? ['--shm-size', `${options.shmSize}b`] : []),
  ];
}

/** `docker build <options> --tag <image> .`: every option before the context path (ZenML put them after it). */
export function dockerBuildCommand(imageName: string, options: BuildOptions): string {
  return ['docker', 'build', ...dockerBuildFlags(options), '--tag', imageName, '.'].map(shellWord).join(' ');
}
