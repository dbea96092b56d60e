import type Docker from 'dockerode';
import type { BuildOptionField, BuildOptions } from '@stowage/plugin-api';
import type { LocalBuilderOptions } from './builderOptions.js';
import type { LocalImageBuilderConfig } from './config.js';

type EngineParams = Record<string, unknown>;

/**
 * Every BuildOptions field → the Engine API's `POST /build` query parameter(s). Typed over all
 * fields, so a field added to BuildOptions does not compile until it is mapped here (or the
 * builder stops claiming it).
 */
const ENGINE_PARAMS: { [F in BuildOptionField]-?: (value: NonNullable<BuildOptions[F]>) => EngineParams } = {
  buildArgs: (v) => ({ buildargs: { ...v } }),
  labels: (v) => ({ labels: { ...v } }),
  target: (v) => ({ target: v }),
  platform: (v) => ({ platform: v }),
  pull: (v) => ({ pull: v }),
  noCache: (v) => ({ nocache: v }),
  network: (v) => ({ networkmode: v }),
  // Lists on the wire: docker-modem repeats the key, which the engine reads as a list.
  extraHosts: (v) => ({ extrahosts: [...v] }),
  cacheFrom: (v) => ({ cachefrom: [...v] }),
  removeIntermediate: (v) => ({ rm: v }),
  forceRemoveIntermediate: (v) => ({ forcerm: v }),
  squash: (v) => ({ squash: v }),
  quiet: (v) => ({ q: v }),
  isolation: (v) => ({ isolation: v }),
  shmSize: (v) => ({ shmsize: v }),
  memory: (v) => ({ memory: v }),
  memorySwap: (v) => ({ memswap: v }),
  cpuShares: (v) => ({ cpushares: v }),
  cpuSetCpus: (v) => ({ cpusetcpus: v }),
};

/** The BuildOptions fields this builder honours: all of them (its capabilities list them). */
export const HONOURED_BUILD_OPTIONS = Object.keys(ENGINE_PARAMS) as BuildOptionField[];

/**
 * Engine API build parameters (pure): the build's options over the builder's defaults, plus the
 * builder options. The caller adds the builder version (BuildKit or classic), the tag, the
 * registry config and the abort signal.
 */
export function engineBuildParams(options: BuildOptions, config: LocalImageBuilderConfig, extras: LocalBuilderOptions = {}): Docker.ImageBuildOptions {
  const mapped: EngineParams = {};
  for (const field of HONOURED_BUILD_OPTIONS) {
    const value = options[field];
    if (value !== undefined) Object.assign(mapped, (ENGINE_PARAMS[field] as (v: unknown) => EngineParams)(value));
  }
  const params = {
    // Failed builds must not leave their build container behind (docker-py defaults this to false).
    forcerm: true,
    ...(config.platform ? { platform: config.platform } : {}),
    ...(config.network_mode ? { networkmode: config.network_mode } : {}),
    ...mapped,
    ...(extras.cpu_period !== undefined ? { cpuperiod: extras.cpu_period } : {}),
    ...(extras.cpu_quota !== undefined ? { cpuquota: extras.cpu_quota } : {}),
  };
  // extrahosts and cachefrom are lists on the wire; @types/dockerode types them as strings.
  return params as unknown as Docker.ImageBuildOptions;
}
