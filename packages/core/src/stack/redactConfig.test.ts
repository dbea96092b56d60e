import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { secret } from '@stowage/plugin-api';
import { redactConfig } from './redactConfig.js';

describe('redactConfig', () => {
  it('hides secret-typed values in objects, arrays and records, and reports them', () => {
    const schema = z.object({
      token: secret().optional(),
      mirrors: z.array(z.object({ url: z.string(), password: secret() })).default([]),
      extra: z.record(z.string(), secret()).default({}),
      plain: z.string(),
    });
    const { redacted, secrets } = redactConfig(schema, {
      token: 'tok-1',
      mirrors: [{ url: 'https://m', password: 'pw-2' }],
      extra: { A: 'sec-3' },
      plain: 'visible',
    });
    expect(redacted).toEqual({ token: '***', mirrors: [{ url: 'https://m', password: '***' }], extra: { A: '***' }, plain: 'visible' });
    expect(secrets).toEqual(['tok-1', 'pw-2', 'sec-3']);
  });
});
