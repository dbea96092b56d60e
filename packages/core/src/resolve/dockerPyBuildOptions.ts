import type { BuildOptions } from '@stowage/plugin-api';
import { suggestClosest } from '../settings/suggestClosest.js';

/** A problem in `build_options`, at a key path relative to it (the caller prefixes the real path). */
export interface BuildOptionIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

type Read<T> = (value: unknown, path: (string | number)[], issues: BuildOptionIssue[]) => T | undefined;
type Mapper = (value: unknown, path: (string | number)[], issues: BuildOptionIssue[]) => BuildOptions;

const field =
  <K extends keyof BuildOptions>(name: K, read: Read<NonNullable<BuildOptions[K]>>): Mapper =>
  (value, path, issues) => {
    const parsed = read(value, path, issues);
    return parsed === undefined ? {} : ({ [name]: parsed } as BuildOptions);
  };

/** docker-py `APIClient.build` keyword → typed BuildOptions; ZenML passes build_options to it unchanged. */
const MAPPERS: Readonly<Record<string, Mapper>> = {
  buildargs: field('buildArgs', stringMap),
  labels: field('labels', stringMap),
  target: field('target', text),
  platform: field('platform', text),
  network_mode: field('network', text),
  isolation: field('isolation', text),
  pull: field('pull', flag),
  nocache: field('noCache', flag),
  rm: field('removeIntermediate', flag),
  forcerm: field('forceRemoveIntermediate', flag),
  squash: field('squash', flag),
  quiet: field('quiet', flag),
  shmsize: field('shmSize', count),
  extra_hosts: field('extraHosts', extraHosts),
  cache_from: field('cacheFrom', imageList),
  container_limits: containerLimits,
};

/** The docker-py build options Stowage understands (ZenML's `build_options` keys). */
export const DOCKER_PY_BUILD_OPTIONS: readonly string[] = Object.keys(MAPPERS);

const CONTAINER_LIMITS: Readonly<Record<string, Mapper>> = {
  memory: field('memory', count),
  // -1 means unlimited swap, as with `docker build --memory-swap -1`.
  memswap: field('memorySwap', (v, p, i) => integer(v, p, i, -1)),
  cpushares: field('cpuShares', count),
  cpusetcpus: field('cpuSetCpus', text),
};

// docker-py keywords that only steer the Python client, or that Stowage itself sets.
const MANAGED_OPTIONS: Readonly<Record<string, string>> = {
  tag: 'the image name comes from the plan',
  path: 'the build context comes from the plan',
  fileobj: 'the build context comes from the plan',
  custom_context: 'the build context comes from the plan',
  // ZenML let this pick another file of the context; Stowage builds the Dockerfile it generates and shows.
  dockerfile: 'the Dockerfile built is the one Stowage generates (`stowage plan` shows it)',
  encoding: 'the build context is always an uncompressed tar',
  gzip: 'the build context is always an uncompressed tar',
  decode: 'progress is always decoded',
  stream: 'progress is always streamed',
  timeout: "use the image builder's timeout_seconds",
  use_config_proxy: 'proxy settings from ~/.docker/config.json are not read; pass them as buildargs',
};

const MANAGED_HINTS: Readonly<Record<string, string>> = {
  dockerfile: 'to build your own Dockerfile, set `dockerfile` in the docker settings (not in build_options)',
};

/**
 * Maps ZenML's `build_options` (docker-py `APIClient.build` keywords) onto typed BuildOptions.
 * Unknown names and wrong value types are issues, not dropped: a silently ignored option builds
 * a different image than the user asked for. `None`/null means "not set".
 */
export function parseDockerPyBuildOptions(raw: Record<string, unknown>): { options: BuildOptions; issues: BuildOptionIssue[] } {
  const issues: BuildOptionIssue[] = [];
  let options: BuildOptions = {};
  for (const [name, value] of Object.entries(raw)) {
    // `None` in docker-py means "not set"; YAML `~` arrives as null.
    if (value === undefined || value === null) continue;
    const mapper = MAPPERS[name];
    if (mapper) options = { ...options, ...mapper(value, [name], issues) };
    else issues.push(unsupportedOption(name));
  }
  return { options, issues };
}

function unsupportedOption(name: string): BuildOptionIssue {
  const managed = MANAGED_OPTIONS[name];
  if (managed) return { path: [name], message: `"${name}" cannot be set: ${managed}`, hint: MANAGED_HINTS[name] ?? `remove "${name}"` };
  const [closest] = suggestClosest(name, DOCKER_PY_BUILD_OPTIONS);
  return {
    path: [name],
    message: `unknown build option "${name}"${closest ? `; did you mean "${closest}"?` : ''}`,
    hint: `supported build options: ${DOCKER_PY_BUILD_OPTIONS.join(', ')}`,
  };
}

function wrongType(path: (string | number)[], expected: string, value: unknown): BuildOptionIssue {
  return { path, message: `must be ${expected}, got ${describeValue(value)}` };
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

function text(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  issues.push(wrongType(path, 'a non-empty string', value));
  return undefined;
}

function flag(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): boolean | undefined {
  if (typeof value === 'boolean') return value;
  issues.push(wrongType(path, 'true or false', value));
  return undefined;
}

function integer(value: unknown, path: (string | number)[], issues: BuildOptionIssue[], min: number): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  issues.push(wrongType(path, min === 0 ? 'a whole number of bytes or shares, 0 or more' : `a whole number, ${min} or more`, value));
  return undefined;
}

function count(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): number | undefined {
  return integer(value, path, issues, 0);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Numbers are refused rather than stringified: YAML reads `3.10` as 3.1.
function stringMap(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): Record<string, string> | undefined {
  if (!isMapping(value)) {
    issues.push(wrongType(path, 'a mapping of names to strings', value));
    return undefined;
  }
  const bad = Object.entries(value).filter(([, v]) => typeof v !== 'string');
  for (const [key, v] of bad) issues.push(wrongType([...path, key], 'a string (quote it in YAML)', v));
  return bad.length ? undefined : { ...(value as Record<string, string>) };
}

function imageList(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): string[] | undefined {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')) return [...(value as string[])];
  issues.push(wrongType(path, 'a list of image names', value));
  return undefined;
}

// docker-py accepts `{host: ip}` (formatted as sorted `host:ip`) or a list of `host:ip` strings.
function extraHosts(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): string[] | undefined {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' && v.includes(':'))) return [...(value as string[])].sort();
    issues.push(wrongType(path, 'a list of "host:ip" strings or a mapping of host to ip', value));
    return undefined;
  }
  const hosts = stringMap(value, path, issues);
  return hosts && Object.keys(hosts).sort().map((host) => `${host}:${hosts[host]}`);
}

function containerLimits(value: unknown, path: (string | number)[], issues: BuildOptionIssue[]): BuildOptions {
  const names = Object.keys(CONTAINER_LIMITS);
  if (!isMapping(value)) {
    issues.push(wrongType(path, `a mapping with ${names.join(', ')}`, value));
    return {};
  }
  let options: BuildOptions = {};
  for (const [key, v] of Object.entries(value)) {
    const limit = CONTAINER_LIMITS[key];
    if (!limit) {
      const [closest] = suggestClosest(key, names);
      issues.push({
        path: [...path, key],
        message: `unknown container limit "${key}"${closest ? `; did you mean "${closest}"?` : ''}`,
        hint: `container_limits supports: ${names.join(', ')}`,
      });
    } else if (v !== undefined && v !== null) options = { ...options, ...limit(v, [...path, key], issues) };
  }
  return options;
}
