import { BUILD_OPTION_FIELDS, type BuildOptions } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { LocalImageBuilderConfigSchema } from './config.js';
import { engineBuildParams, HONOURED_BUILD_OPTIONS } from './engineBuildParams.js';

const defaults = LocalImageBuilderConfigSchema.parse({});

describe('engineBuildParams', () => {
  const cases: [string, BuildOptions, Record<string, unknown>][] = [
    ['buildArgs → buildargs', { buildArgs: { PY: '3.11' } }, { buildargs: { PY: '3.11' } }],
    ['labels', { labels: { team: 'ml' } }, { labels: { team: 'ml' } }],
    ['target', { target: 'runtime' }, { target: 'runtime' }],
    ['platform', { platform: 'linux/amd64' }, { platform: 'linux/amd64' }],
    ['pull', { pull: true }, { pull: true }],
    ['noCache → nocache', { noCache: true }, { nocache: true }],
    ['network → networkmode', { network: 'host' }, { networkmode: 'host' }],
    ['extraHosts → extrahosts (a list)', { extraHosts: ['api:10.0.0.1', 'db:10.0.0.2'] }, { extrahosts: ['api:10.0.0.1', 'db:10.0.0.2'] }],
    ['cacheFrom → cachefrom (a list)', { cacheFrom: ['reg/app:latest'] }, { cachefrom: ['reg/app:latest'] }],
    ['removeIntermediate → rm (ZenML passes false)', { removeIntermediate: false }, { rm: false }],
    ['forceRemoveIntermediate → forcerm', { forceRemoveIntermediate: false }, { forcerm: false }],
    ['squash', { squash: true }, { squash: true }],
    ['quiet → q', { quiet: true }, { q: true }],
    ['isolation', { isolation: 'process' }, { isolation: 'process' }],
    ['shmSize → shmsize', { shmSize: 67108864 }, { shmsize: 67108864 }],
    ['memory', { memory: 1073741824 }, { memory: 1073741824 }],
    ['memorySwap → memswap', { memorySwap: -1 }, { memswap: -1 }],
    ['cpuShares → cpushares', { cpuShares: 512 }, { cpushares: 512 }],
    ['cpuSetCpus → cpusetcpus', { cpuSetCpus: '0-1' }, { cpusetcpus: '0-1' }],
  ];

  it.each(cases)('%s', (_name, options, expected) => {
    const { forcerm, ...rest } = engineBuildParams(options, defaults) as Record<string, unknown>;
    expect({ ...rest, ...(options.forceRemoveIntermediate !== undefined ? { forcerm } : {}) }).toEqual(expected);
  });

  it('honours every BuildOptions field, and the table above covers each', () => {
    expect([...HONOURED_BUILD_OPTIONS].sort()).toEqual([...BUILD_OPTION_FIELDS].sort());
    const tested = new Set(cases.flatMap(([, options]) => Object.keys(options)));
    expect(HONOURED_BUILD_OPTIONS.filter((field) => !tested.has(field))).toEqual([]);
  });

  it('removes build containers even after a failed build unless the build says otherwise', () => {
    expect(engineBuildParams({}, defaults)).toEqual({ forcerm: true });
  });

  it("uses the builder's platform and network when the build sets none; the build's win", () => {
    const config = LocalImageBuilderConfigSchema.parse({ platform: 'linux/arm64', network_mode: 'host' });
    expect(engineBuildParams({}, config)).toMatchObject({ platform: 'linux/arm64', networkmode: 'host' });
    expect(engineBuildParams({ platform: 'linux/amd64', network: 'none' }, config)).toMatchObject({ platform: 'linux/amd64', networkmode: 'none' });
  });

  it('leaves the builder version to the build (builderFor): BuildKit or classic is chosen per build', () => {
    expect(engineBuildParams({}, LocalImageBuilderConfigSchema.parse({ buildkit: true }))).toEqual({ forcerm: true });
  });

  it('adds the builder options as cpuperiod and cpuquota', () => {
    expect(engineBuildParams({}, defaults, { cpu_period: 100_000, cpu_quota: 50_000 })).toEqual({ forcerm: true, cpuperiod: 100_000, cpuquota: 50_000 });
  });
});
