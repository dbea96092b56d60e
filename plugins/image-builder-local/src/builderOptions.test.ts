import { describe, expect, it } from 'vitest';
import { stowageFailure } from './__fixtures__/testBuilds.js';
import { builderOptionFindings, LocalBuilderOptionsSchema, parseBuilderOptions } from './builderOptions.js';

describe('builder_options.local', () => {
  it('accepts the CPU bandwidth limits and nothing by default', () => {
    expect(parseBuilderOptions({})).toEqual({});
    expect(parseBuilderOptions({ cpu_period: 100_000, cpu_quota: 50_000 })).toEqual({ cpu_period: 100_000, cpu_quota: 50_000 });
  });

  it('describes every key (they feed the docs and the JSON Schema)', () => {
    for (const [key, schema] of Object.entries(LocalBuilderOptionsSchema.shape)) expect(schema.description, key).toBeTruthy();
  });

  it.each([
    [{ cpuquota: 1 }, 'unknown builder option "cpuquota"'],
    [{ dockerfile: 'x' }, 'unknown builder option "dockerfile"'],
    [{ cpu_quota: '50ms' }, 'builder option "cpu_quota" must be a number of microseconds'],
    [{ cpu_quota: 1.5 }, 'builder option "cpu_quota" must be a whole number of microseconds'],
    [{ cpu_period: 2_000_000 }, 'builder option "cpu_period" must be at most 1000000 (1 s)'],
  ])('refuses %j as SETTINGS_INVALID naming the key', async (raw, message) => {
    const error = await stowageFailure(Promise.resolve().then(() => parseBuilderOptions(raw)));
    expect(error).toMatchObject({ code: 'SETTINGS_INVALID', message, hint: expect.stringContaining('cpu_period, cpu_quota') });
  });

  it('reports the same problems at plan time as error findings (the flavor check)', () => {
    expect(builderOptionFindings({ cpu_quota: 10, extra: true })).toEqual([
      { severity: 'error', message: 'unknown builder option "extra"', hint: expect.stringContaining('builder_options.local') },
      { severity: 'error', message: 'builder option "cpu_quota" must be at least 1000 (1 ms)', hint: expect.any(String) },
    ]);
    expect(builderOptionFindings({ cpu_quota: 50_000 })).toEqual([]);
  });
});
