/**
 * Typed build options: what a Dockerfile build may be asked to do besides its context and name
 * (docker buildx bake's target fields). Core maps ZenML's docker-py `build_options` onto this at
 * load time; a builder maps it onto its own API and declares which fields it honours.
 */
export interface BuildOptions {
  buildArgs?: Readonly<Record<string, string>>;
  labels?: Readonly<Record<string, string>>;
  target?: string;
  /** `linux/amd64`, … (docker-py's `platform`: one platform). */
  platform?: string;
  /** Always try to pull newer versions of the parent images. */
  pull?: boolean;
  noCache?: boolean;
  /** Network for RUN instructions (`host`, `none`, `default`, …). */
  network?: string;
  /** `host:ip` entries, sorted. */
  extraHosts?: readonly string[];
  cacheFrom?: readonly string[];
  /** Remove intermediate containers after a successful build. */
  removeIntermediate?: boolean;
  /** Remove intermediate containers even after a failed build. */
  forceRemoveIntermediate?: boolean;
  squash?: boolean;
  quiet?: boolean;
  isolation?: string;
  /** Size of /dev/shm in bytes. */
  shmSize?: number;
  /** Memory limit of build containers in bytes. */
  memory?: number;
  /** Memory + swap of build containers in bytes (-1: unlimited swap). */
  memorySwap?: number;
  cpuShares?: number;
  cpuSetCpus?: string;
}

/** Every field of BuildOptions, in one table (what a builder lists as honoured or ignored). */
export const BUILD_OPTION_FIELDS = [
  'buildArgs',
  'labels',
  'target',
  'platform',
  'pull',
  'noCache',
  'network',
  'extraHosts',
  'cacheFrom',
  'removeIntermediate',
  'forceRemoveIntermediate',
  'squash',
  'quiet',
  'isolation',
  'shmSize',
  'memory',
  'memorySwap',
  'cpuShares',
  'cpuSetCpus',
] as const satisfies readonly (keyof BuildOptions)[];

export type BuildOptionField = (typeof BUILD_OPTION_FIELDS)[number];
