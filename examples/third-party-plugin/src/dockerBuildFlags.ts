import type { BuildOptionField, BuildOptions } from '@stowage/plugin-api';

type Flags = (value: never) => string[];

/**
 * The BuildOptions fields this builder turns into `docker build` flags. The others (squash,
 * container limits, …) are not honoured: its capabilities list only these, so Stowage warns at
 * plan time when a build sets another one.
 */
const FLAGS = {
  buildArgs: (v: Readonly<Record<string, string>>) => Object.entries(v).flatMap(([k, x]) => ['--build-arg', `${k}=${x}`]),
  labels: (v: Readonly<Record<string, string>>) => Object.entries(v).flatMap(([k, x]) => ['--label', `${k}=${x}`]),
  target: (v: string) => ['--target', v],
  platform: (v: string) => ['--platform', v],
  network: (v: string) => [`--network=${v}`],
  extraHosts: (v: readonly string[]) => v.flatMap((host) => ['--add-host', host]),
  cacheFrom: (v: readonly string[]) => v.flatMap((image) => ['--cache-from', image]),
  pull: (v: boolean) => (v ? ['--pull'] : []),
  noCache: (v: boolean) => (v ? ['--no-cache'] : []),
} satisfies { [F in BuildOptionField]?: (value: NonNullable<BuildOptions[F]>) => string[] };

export const HONOURED_BUILD_OPTIONS = Object.keys(FLAGS) as (keyof typeof FLAGS)[];

/** `docker build` flags for the honoured options (the others are ignored: see above). */
export function dockerBuildFlags(options: BuildOptions): string[] {
  return HONOURED_BUILD_OPTIONS.flatMap((field) => (options[field] === undefined ? [] : (FLAGS[field] as Flags)(options[field] as never)));
}
