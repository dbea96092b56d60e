import { describe, expect, it } from 'vitest';
import type { BuildOptions } from '@stowage/plugin-api';
import { DOCKER_PY_BUILD_OPTIONS, parseDockerPyBuildOptions } from './dockerPyBuildOptions.js';

const cases: [string, Record<string, unknown>, BuildOptions][] = [
  ['buildargs', { buildargs: { PY: '3.11' } }, { buildArgs: { PY: '3.11' } }],
  ['labels', { labels: { team: 'ml' } }, { labels: { team: 'ml' } }],
  ['target', { target: 'runtime' }, { target: 'runtime' }],
  ['platform', { platform: 'linux/amd64' }, { platform: 'linux/amd64' }],
  ['network_mode → network', { network_mode: 'host' }, { network: 'host' }],
  ['isolation', { isolation: 'process' }, { isolation: 'process' }],
  ['pull', { pull: true }, { pull: true }],
  ['nocache → noCache', { nocache: true }, { noCache: true }],
  ['rm (ZenML passes false) → removeIntermediate', { rm: false }, { removeIntermediate: false }],
  ['forcerm → forceRemoveIntermediate', { forcerm: false }, { forceRemoveIntermediate: false }],
  ['squash', { squash: true }, { squash: true }],
  ['quiet', { quiet: true }, { quiet: true }],
  ['shmsize → shmSize', { shmsize: 67108864 }, { shmSize: 67108864 }],
  ['extra_hosts as a mapping (sorted host:ip)', { extra_hosts: { db: '10.0.0.2', api: '10.0.0.1' } }, { extraHosts: ['api:10.0.0.1', 'db:10.0.0.2'] }],
  ['extra_hosts as a list (sorted)', { extra_hosts: ['db:10.0.0.2', 'api:10.0.0.1'] }, { extraHosts: ['api:10.0.0.1', 'db:10.0.0.2'] }],
  ['cache_from → cacheFrom', { cache_from: ['reg/app:latest'] }, { cacheFrom: ['reg/app:latest'] }],
  [
    'container_limits → memory, memorySwap, cpuShares, cpuSetCpus',
    { container_limits: { memory: 1073741824, memswap: -1, cpushares: 512, cpusetcpus: '0-1' } },
    { memory: 1073741824, memorySwap: -1, cpuShares: 512, cpuSetCpus: '0-1' },
  ],
  ['a null container limit is not set', { container_limits: { memory: null } }, {}],
  ['null means not set (YAML ~, Python None)', { target: null, pull: undefined }, {}],
  ['no options', {}, {}],
];

describe('parseDockerPyBuildOptions', () => {
  it.each(cases)('%s', (_name, raw, expected) => {
    expect(parseDockerPyBuildOptions(raw)).toEqual({ options: expected, issues: [] });
  });

  it('covers every supported option in the table above', () => {
    const tested = new Set(cases.flatMap(([, raw]) => Object.keys(raw)));
    expect(DOCKER_PY_BUILD_OPTIONS.filter((name) => !tested.has(name))).toEqual([]);
  });

  it('refuses an unknown option, suggesting the closest and listing the supported ones', () => {
    const { issues } = parseDockerPyBuildOptions({ networkmode: 'host' });
    expect(issues).toEqual([
      { path: ['networkmode'], message: 'unknown build option "networkmode"; did you mean "network_mode"?', hint: expect.stringContaining('buildargs, labels, target') },
    ]);
    expect(issues[0]?.hint).toContain('container_limits');
  });

  it('explains docker-py options that Stowage sets itself instead of calling them unknown', () => {
    expect(parseDockerPyBuildOptions({ tag: 'x:1' }).issues).toEqual([
      { path: ['tag'], message: '"tag" cannot be set: the image name comes from the plan', hint: 'remove "tag"' },
    ]);
    expect(parseDockerPyBuildOptions({ timeout: 60 }).issues[0]?.message).toContain('timeout_seconds');
  });

  it('refuses `dockerfile`: the Dockerfile built is the one Stowage generates and shows', () => {
    const { options, issues } = parseDockerPyBuildOptions({ dockerfile: 'docker/Dockerfile', target: 'runtime' });
    expect(options).toEqual({ target: 'runtime' });
    expect(issues).toEqual([
      {
        path: ['dockerfile'],
        message: '"dockerfile" cannot be set: the Dockerfile built is the one Stowage generates (`stowage plan` shows it)',
        hint: 'to build your own Dockerfile, set `dockerfile` in the docker settings (not in build_options)',
      },
    ]);
  });

  it.each([
    [{ pull: 'yes' }, ['pull'], 'must be true or false, got the string "yes"'],
    [{ target: 3 }, ['target'], 'must be a non-empty string, got number 3'],
    [{ target: '' }, ['target'], 'must be a non-empty string, got the string ""'],
    [{ shmsize: '1g' }, ['shmsize'], 'must be a whole number of bytes or shares, 0 or more, got the string "1g"'],
    [{ shmsize: -5 }, ['shmsize'], 'must be a whole number of bytes or shares, 0 or more, got number -5'],
    [{ shmsize: 1.5 }, ['shmsize'], 'must be a whole number of bytes or shares, 0 or more, got number 1.5'],
    [{ buildargs: ['A=1'] }, ['buildargs'], 'must be a mapping of names to strings, got a list'],
    // YAML reads `3.10` as the number 3.1: refuse rather than build with the wrong value.
    [{ buildargs: { PY: 3.1 } }, ['buildargs', 'PY'], 'must be a string (quote it in YAML), got number 3.1'],
    [{ cache_from: 'reg/app:latest' }, ['cache_from'], 'must be a list of image names, got the string "reg/app:latest"'],
    [{ extra_hosts: ['nocolon'] }, ['extra_hosts'], 'must be a list of "host:ip" strings or a mapping of host to ip, got a list'],
    [{ extra_hosts: { db: 5 } }, ['extra_hosts', 'db'], 'must be a string (quote it in YAML), got number 5'],
    [{ container_limits: 512 }, ['container_limits'], 'must be a mapping with memory, memswap, cpushares, cpusetcpus, got number 512'],
    [{ container_limits: { memory: '1g' } }, ['container_limits', 'memory'], 'must be a whole number of bytes or shares, 0 or more, got the string "1g"'],
    [{ container_limits: { memswap: -2 } }, ['container_limits', 'memswap'], 'must be a whole number, -1 or more, got number -2'],
    [{ container_limits: { cpuquota: 1 } }, ['container_limits', 'cpuquota'], 'unknown container limit "cpuquota"'],
    [{ container_limits: { memroy: 1 } }, ['container_limits', 'memroy'], 'unknown container limit "memroy"; did you mean "memory"?'],
  ])('refuses %j at its key path', (raw, path, message) => {
    const { options, issues } = parseDockerPyBuildOptions(raw);
    expect(issues).toEqual([expect.objectContaining({ path, message })]);
    expect(options).toEqual({});
  });

  it('reports every problem at once and keeps the valid options', () => {
    const { options, issues } = parseDockerPyBuildOptions({ pull: 'yes', labels: { a: 'b' }, buildargs: { A: 1, B: 2 }, gzip: true });
    expect(options).toEqual({ labels: { a: 'b' } });
    expect(issues.map((i) => i.path)).toEqual([['pull'], ['buildargs', 'A'], ['buildargs', 'B'], ['gzip']]);
  });
});
