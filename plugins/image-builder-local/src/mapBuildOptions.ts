import { StowageError, suggestClosest } from '@stowage/core';
import { PLUGIN_NAME } from './pluginName.js';

/** Query parameters of the Engine API's `POST /build` that build options can set. */
export interface EngineBuildParams {
  buildargs?: Record<string, string>;
  labels?: Record<string, string>;
  target?: string;
  platform?: string;
  networkmode?: string;
  dockerfile?: string;
  isolation?: string;
  pull?: boolean;
  nocache?: boolean;
  rm?: boolean;
  forcerm?: boolean;
  squash?: boolean;
  q?: boolean;
  shmsize?: number;
  memory?: number;
  memswap?: number;
  cpushares?: number;
  cpusetcpus?: string;
  extrahosts?: string[];
  cachefrom?: string[];
}

type OptionMapper = (value: unknown, name: string) => EngineBuildParams;

// docker-py `APIClient.build` keyword → Engine API parameter(s); ZenML passes build_options to it unchanged.
const OPTION_MAPPERS: Readonly<Record<string, OptionMapper>> = {
  buildargs: (v, n) => ({ buildargs: stringMap(v, n) }),
  labels: (v, n) => ({ labels: stringMap(v, n) }),
  target: (v, n) => ({ target: text(v, n) }),
  platform: (v, n) => ({ platform: text(v, n) }),
  network_mode: (v, n) => ({ networkmode: text(v, n) }),
  dockerfile: (v, n) => ({ dockerfile: text(v, n) }),
  isolation: (v, n) => ({ isolation: text(v, n) }),
  pull: (v, n) => ({ pull: flag(v, n) }),
  nocache: (v, n) => ({ nocache: flag(v, n) }),
  rm: (v, n) => ({ rm: flag(v, n) }),
  forcerm: (v, n) => ({ forcerm: flag(v, n) }),
  squash: (v, n) => ({ squash: flag(v, n) }),
  quiet: (v, n) => ({ q: flag(v, n) }),
  shmsize: (v, n) => ({ shmsize: count(v, n) }),
  extra_hosts: (v, n) => ({ extrahosts: extraHosts(v, n) }),
  cache_from: (v, n) => ({ cachefrom: stringList(v, n) }),
  container_limits: (v, n) => containerLimits(v, n),
};

/** The docker-py build options this builder understands. */
export const SUPPORTED_BUILD_OPTIONS: readonly string[] = Object.keys(OPTION_MAPPERS);

// docker-py keywords that only steer the Python client, or that Stowage itself sets.
const MANAGED_OPTIONS: Readonly<Record<string, string>> = {
  tag: 'the image name comes from the plan',
  path: 'the build context comes from the plan',
  fileobj: 'the build context comes from the plan',
  custom_context: 'the build context comes from the plan',
  encoding: 'the build context is always an uncompressed tar',
  gzip: 'the build context is always an uncompressed tar',
  decode: 'progress is always decoded',
  stream: 'progress is always streamed',
  timeout: "use the image builder's timeout_seconds",
  use_config_proxy: 'proxy settings from ~/.docker/config.json are not read; pass them as buildargs',
};

const CONTAINER_LIMITS: Readonly<Record<string, (v: unknown, n: string) => EngineBuildParams>> = {
  memory: (v, n) => ({ memory: count(v, n) }),
  // -1 means unlimited swap, as with `docker build --memory-swap -1`.
  memswap: (v, n) => ({ memswap: integer(v, n, -1) }),
  cpushares: (v, n) => ({ cpushares: count(v, n) }),
  cpusetcpus: (v, n) => ({ cpusetcpus: text(v, n) }),
};

/**
 * Turns docker-py style build options (ZenML's `build_options`) into Engine API build parameters.
 * Unknown names and wrong value types are errors: a silently dropped option builds a different
 * image than the user asked for.
 */
export function mapBuildOptions(options: Readonly<Record<string, unknown>>): EngineBuildParams {
  let params: EngineBuildParams = {};
  for (const [name, value] of Object.entries(options)) {
    // `None` in docker-py means "not set"; YAML `~` arrives as null.
    if (value === undefined || value === null) continue;
    const mapper = OPTION_MAPPERS[name];
    if (!mapper) throw unsupportedOption(name);
    params = { ...params, ...mapper(value, name) };
  }
  return params;
}

function unsupportedOption(name: string): StowageError {
  const managed = MANAGED_OPTIONS[name];
  if (managed) {
    return optionError(`build option "${name}" cannot be set: ${managed}`, `remove "${name}" from build_options`);
  }
  const [closest] = suggestClosest(name, SUPPORTED_BUILD_OPTIONS);
  return optionError(
    `unknown build option "${name}"${closest ? ` (did you mean "${closest}"?)` : ''}`,
    `the local image builder supports: ${SUPPORTED_BUILD_OPTIONS.join(', ')}`,
  );
}

function optionError(message: string, hint: string): StowageError {
  return new StowageError(message, { code: 'SETTINGS_INVALID', plugin: PLUGIN_NAME, hint });
}

function wrongType(name: string, expected: string, value: unknown): StowageError {
  return optionError(`build option "${name}" must be ${expected}, got ${describeValue(value)}`, `fix "${name}" in build_options`);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw wrongType(name, 'a non-empty string', value);
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw wrongType(name, 'true or false', value);
  return value;
}

function integer(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw wrongType(name, min === 0 ? 'a whole number of bytes or shares, 0 or more' : `a whole number, ${min} or more`, value);
  }
  return value;
}

function count(value: unknown, name: string): number {
  return integer(value, name, 0);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Numbers are refused rather than stringified: YAML reads `3.10` as 3.1.
function stringMap(value: unknown, name: string): Record<string, string> {
  if (!isMapping(value)) throw wrongType(name, 'a mapping of names to strings', value);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw wrongType(`${name}.${key}`, 'a string (quote it in YAML)', v);
  }
  return { ...(value as Record<string, string>) };
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw wrongType(name, 'a list of image names', value);
  }
  return [...(value as string[])];
}

// docker-py accepts `{host: ip}` (formatted as sorted `host:ip`) or a list of `host:ip` strings.
function extraHosts(value: unknown, name: string): string[] {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' && v.includes(':'))) return [...(value as string[])];
    throw wrongType(name, 'a list of "host:ip" strings or a mapping of host to ip', value);
  }
  const hosts = stringMap(value, name);
  return Object.keys(hosts)
    .sort()
    .map((host) => `${host}:${hosts[host]}`);
}

function containerLimits(value: unknown, name: string): EngineBuildParams {
  if (!isMapping(value)) throw wrongType(name, `a mapping with ${Object.keys(CONTAINER_LIMITS).join(', ')}`, value);
  let params: EngineBuildParams = {};
  for (const [key, v] of Object.entries(value)) {
    const limit = CONTAINER_LIMITS[key];
    if (!limit) {
      throw optionError(
        `unknown container limit "${name}.${key}"`,
        `container_limits supports: ${Object.keys(CONTAINER_LIMITS).join(', ')}`,
      );
    }
    if (v !== undefined && v !== null) params = { ...params, ...limit(v, `${name}.${key}`) };
  }
  return params;
}
