import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

describe('stowage schema', () => {
  it('prints the JSON Schema of stowage.yaml, core and builtin plugins (snapshot: docs/stowage.schema.json)', async () => {
    const r = await stowage(import.meta.dirname, ['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    // Plugin config schemas are in it: the local builder's keys and the registry's secret password.
    const text = r.stdout;
    expect(text).toContain('"const": "local"');
    expect(text).toContain('"docker_host"');
    const passwords: unknown[] = [];
    JSON.parse(text, (key, value) => (key === 'password' && passwords.push(value), value));
    expect(passwords).toContainEqual(expect.objectContaining({ writeOnly: true, type: 'string' }));
    await expect(r.stdout).toMatchFileSnapshot(join(import.meta.dirname, '../../../docs/stowage.schema.json'));
  });
});
