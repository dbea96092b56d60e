import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/core';
import { mapBuildOptions, SUPPORTED_BUILD_OPTIONS, type EngineBuildParams } from './mapBuildOptions.js';

function failure(options: Record<string, unknown>): StowageError {
  try {
    mapBuildOptions(options);
  } catch (error) {
    if (StowageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected mapBuildOptions to throw');
}

describe('mapBuildOptions', () => {
  const cases: [string, Record<string, unknown>, EngineBuildParams][] = [
    ['buildargs', { buildargs: { PY: '3.11' } }, { buildargs: { PY: '3.11' } }],
    ['labels', { labels: { team: 'ml' } }, { labels: { team: 'ml' } }],
    ['target', { target: 'runtime' }, { target: 'runtime' }],
    ['platform', { platform: 'linux/amd64' }, { platform: 'linux/amd64' }],
    ['network_mode → networkmode', { network_mode: 'host' }, { networkmode: 'host' }],
    ['dockerfile', { dockerfile: 'docker/Dockerfile' }, { dockerfile: 'docker/Dockerfile' }],
    ['isolation', { isolation: 'process' }, { isolation: 'process' }],
    ['pull', { pull: true }, { pull: true }],
    ['nocache', { nocache: true }, { nocache: true }],
    ['rm (ZenML passes false)', { rm: false }, { rm: false }],
    ['forcerm', { forcerm: false }, { forcerm: false }],
    ['squash', { squash: true }, { squash: true }],
    ['quiet → q', { quiet: true }, { q: true }],
    ['shmsize', { shmsize: 67108864 }, { shmsize: 67108864 }],
    ['extra_hosts as a mapping (sorted host:ip)', { extra_hosts: { db: '10.0.0.2', api: '10.0.0.1' } }, { extrahosts: ['api:10.0.0.1', 'db:10.0.0.2'] }],
    ['extra_hosts as a list', { extra_hosts: ['db:10.0.0.2'] }, { extrahosts: ['db:10.0.0.2'] }],
    ['cache_from → cachefrom', { cache_from: ['reg/app:latest'] }, { cachefrom: ['reg/app:latest'] }],
    [
      'container_limits → memory, memswap, cpushares, cpusetcpus',
      { container_limits: { memory: 1073741824, memswap: -1, cpushares: 512, cpusetcpus: '0-1' } },
      { memory: 1073741824, memswap: -1, cpushares: 512, cpusetcpus: '0-1' },
    ],
    ['null means not set (YAML ~, Python None)', { target: null, pull: undefined }, {}],
    ['no options', {}, {}],
  ];

  it.each(cases)('%s', (_name, options, expected) => {
    expect(mapBuildOptions(options)).toEqual(expected);
  });

  it('covers every supported option in the table above', () => {
    const tested = new Set(cases.flatMap(([, options]) => Object.keys(options)));
    expect(SUPPORTED_BUILD_OPTIONS.filter((name) => !tested.has(name))).toEqual([]);
  });

  it('rejects an unknown option, naming it, suggesting the closest and listing the supported ones', () => {
    const error = failure({ networkmode: 'host' });
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.message).toBe('unknown build option "networkmode" (did you mean "network_mode"?)');
    expect(error.hint).toContain('buildargs, labels, target');
    expect(error.hint).toContain('container_limits');
  });

  it('explains docker-py options that Stowage sets itself instead of calling them unknown', () => {
    expect(failure({ tag: 'x:1' }).message).toBe('build option "tag" cannot be set: the image name comes from the plan');
    expect(failure({ timeout: 60 }).message).toContain("timeout_seconds");
  });

  it.each([
    [{ pull: 'yes' }, 'build option "pull" must be true or false, got the string "yes"'],
    [{ target: 3 }, 'build option "target" must be a non-empty string, got number 3'],
    [{ target: '' }, 'build option "target" must be a non-empty string, got the string ""'],
    [{ shmsize: '1g' }, 'build option "shmsize" must be a whole number of bytes or shares, 0 or more, got the string "1g"'],
    [{ shmsize: -5 }, 'build option "shmsize" must be a whole number of bytes or shares, 0 or more, got number -5'],
    [{ shmsize: 1.5 }, 'build option "shmsize" must be a whole number of bytes or shares, 0 or more, got number 1.5'],
    [{ buildargs: ['A=1'] }, 'build option "buildargs" must be a mapping of names to strings, got a list'],
    // YAML reads `3.10` as the number 3.1: refuse rather than build with the wrong value.
    [{ buildargs: { PY: 3.1 } }, 'build option "buildargs.PY" must be a string (quote it in YAML), got number 3.1'],
    [{ cache_from: 'reg/app:latest' }, 'build option "cache_from" must be a list of image names, got the string "reg/app:latest"'],
    [{ extra_hosts: ['nocolon'] }, 'build option "extra_hosts" must be a list of "host:ip" strings or a mapping of host to ip, got a list'],
    [{ container_limits: { memory: '1g' } }, 'build option "container_limits.memory" must be a whole number of bytes or shares, 0 or more, got the string "1g"'],
    [{ container_limits: { memswap: -2 } }, 'build option "container_limits.memswap" must be a whole number, -1 or more, got number -2'],
    [{ container_limits: { cpuquota: 1 } }, 'unknown container limit "container_limits.cpuquota"'],
  ])('rejects %j', (options, message) => {
    const error = failure(options);
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.message).toBe(message);
  });
});
