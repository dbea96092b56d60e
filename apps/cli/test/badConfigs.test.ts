import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const dir = join(import.meta.dirname, 'fixtures/bad-configs');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => {
    const header = readFileSync(join(dir, file), 'utf8').split('\n')[0]!;
    const m = /^# expect: (.+?) \| ?(.*)$/.exec(header);
    if (!m) throw new Error(`${file}: first line must be "# expect: <key path or -> | <message part>"`);
    return { file, keyPath: m[1] === '-' ? undefined : m[1]!, message: m[2]! };
  });

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('bad configs: exit 2, file and key path, what to do, no stack trace', () => {
  it('the corpus has at least 30 configs', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$file', async ({ file, keyPath, message }) => {
    const r = await stowage(dir, ['plan', '--config', file], env);
    expect(r.code, r.stderr).toBe(2);
    const first = r.stderr.split('\n')[0]!;
    if (keyPath) expect(first).toMatch(new RegExp(`^error: ${file.replace('.', '\\.')}:\\d+ ${keyPath.replace(/[.[\]]/g, '\\$&')}: `));
    else expect(first).toMatch(new RegExp(`^error: .*${file.replace('.', '\\.')}`));
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });

  it('--debug adds the stack trace', async () => {
    const r = await stowage(dir, ['plan', '--config', '01-unknown-top-level-key.yaml', '--debug'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});
