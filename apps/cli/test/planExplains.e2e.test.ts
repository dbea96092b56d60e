/**
 * `plan` after a real build on the e2e engine (offline `python:3.11-slim`): it names what changed —
 * files, requirement lines, settings old → new (credentials hidden) — in text and in `--json`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const DOCKER = process.env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const docker = async (...args: string[]) => (await promisify(execFile)(DOCKER, args)).stdout.trim();
const hasBase = await docker('image', 'inspect', 'python:3.11-slim').then(() => true, () => false);
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
if (!hasBase && !required) console.warn('\n!!!!!!!! SKIPPING the plan-explains e2e test: no Docker engine with python:3.11-slim (run tooling/e2e/scripts/up.sh)\n');

const config = (stage: string, token: string, extra = '') => `pipeline: { name: explain-e2e-${process.pid}, python_version: "3.11" }
settings:
  docker:
    parent_image: python:3.11-slim
    environment: { STAGE: ${stage}, API_TOKEN: "${token}" }${extra}
`;

describe.runIf(hasBase || required)('plan explains what changed since a real build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-explain-e2e-'));
  const built: string[] = [];
  afterAll(async () => {
    for (const image of built) await docker('image', 'rm', '-f', image).catch(() => undefined);
  });

  it('names changed, added and removed files, requirement lines and settings old → new', async () => {
    writeFileSync(join(dir, 'stowage.yaml'), config('one', 'tok-first-secret-1234'));
    writeFileSync(join(dir, 'main.py'), 'print(1)\n');
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'old.py'), 'x = 1\n');
    const r = await stowage(dir, ['build', '--json']);
    expect(r.code, r.stderr).toBe(0);
    built.push(...(JSON.parse(r.stdout) as { images: { imageName: string }[] }).images.map((i) => i.imageName));

    writeFileSync(join(dir, 'stowage.yaml'), config('two', 'tok-second-secret-5678', '\n    requirements: [pandas==2.2.2]'));
    writeFileSync(join(dir, 'main.py'), 'print(2)\n');
    writeFileSync(join(dir, 'lib', 'new.py'), 'y = 2\n');
    rmSync(join(dir, 'lib', 'old.py'));
    const text = await stowage(dir, ['plan']);
    expect(text.code, text.stderr).toBe(0);
    const why = [
      'settings environment: STAGE: "one" → "two"',
      'settings requirements: null → ["pandas==2.2.2"]',
      'requirements .stowage_user_requirements added: pandas==2.2.2',
      'source files changed: 1 changed (main.py), 1 added (lib/new.py), 1 removed (lib/old.py)',
    ];
    expect(text.stdout).toContain(`  why       ${why[0]}\n${why.slice(1).map((w) => `            ${w}\n`).join('')}`);
    expect(text.stdout).toMatch(/^ {7}context {3}\S+ \(2 files, 15B\) \+ Dockerfile, \.stowage_user_requirements \(\d+B\)$/m);
    const json = await stowage(dir, ['plan', '--json']);
    const image = JSON.parse(json.stdout).images[0];
    expect(image.why).toEqual(why);
    expect(image.changes).toContainEqual({ kind: 'settings', field: 'environment', before: { STAGE: 'one', API_TOKEN: '***' }, after: { STAGE: 'two', API_TOKEN: '***' } });
    expect(image.changes).toContainEqual({
      kind: 'source-files',
      changed: { names: ['main.py'], count: 1 },
      added: { names: ['lib/new.py'], count: 1 },
      removed: { names: ['lib/old.py'], count: 1 },
      files: { before: 2, after: 2 },
    });
    expect(text.stdout + json.stdout).not.toMatch(/tok-(first|second)/);
    const records = readdirSync(join(dir, '.stowage', 'builds')).filter((f) => f.endsWith('.json'));
    expect(records.map((f) => readFileSync(join(dir, '.stowage', 'builds', f), 'utf8')).join('')).not.toContain('tok-first');
  });
});
