/**
 * `build --step` on the real Docker engine of the e2e harness (offline `python:3.11-slim`): only
 * the chosen step's image is built and recorded; the pipeline image is never touched.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const DOCKER = process.env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const docker = async (...args: string[]) => (await promisify(execFile)(DOCKER, args)).stdout.trim();
const hasBase = await docker('image', 'inspect', 'python:3.11-slim').then(() => true, () => false);
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
if (!hasBase && !required) console.warn('\n!!!!!!!! SKIPPING the build --step e2e test: no Docker engine with python:3.11-slim (run tooling/e2e/scripts/up.sh)\n');

describe.runIf(hasBase || required)('build --step on the real engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-step-e2e-'));
  const pipeline = `step-e2e-${process.pid}`;
  writeFileSync(
    join(dir, 'stowage.yaml'),
    `pipeline: { name: ${pipeline}, python_version: "3.11" }
settings: { docker: { parent_image: "python:3.11-slim", environment: { STAGE: shared } } }
steps:
  load: {}
  train: { settings: { docker: { environment: { STAGE: train } } } }
`,
  );
  writeFileSync(join(dir, 'main.py'), 'print(1)\n');
  const built: string[] = [];
  afterAll(async () => {
    for (const image of built) await docker('image', 'rm', '-f', image).catch(() => undefined);
  });

  it('builds and records only the image of the chosen step', async () => {
    const planned = JSON.parse((await stowage(dir, ['plan', '--json'])).stdout) as { images: { key: string; imageName: string }[] };
    const names = Object.fromEntries(planned.images.map((i) => [i.key, i.imageName]));
    const r = await stowage(dir, ['build', '--step', 'train', '--json']);
    expect(r.code, r.stderr).toBe(0);
    built.push(names['train']!);
    const record = JSON.parse(r.stdout) as { images: { key: string; action: string; steps: string[]; sizeBytes?: number }[] };
    expect(record.images.map((i) => [i.key, i.action, i.steps])).toEqual([['train', 'built', ['train']]]);
    // The size the engine reports for the built image reaches the record.
    expect(record.images[0]!.sizeBytes).toBe(Number(await docker('image', 'inspect', '--format', '{{.Size}}', names['train']!)));
    expect(await docker('image', 'inspect', '--format', '{{index .Config.Env}}', names['train']!)).toContain('STAGE=train');
    await expect(docker('image', 'inspect', names['pipeline']!)).rejects.toThrow();
  });
});
