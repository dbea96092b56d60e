/** `builds prune --remove-images` on the real Docker engine of the e2e harness (tags of the offline python:3.11-slim). */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRecord, DAY, projectWith } from './buildsPrune.fixtures.js';
import { stowage } from './runInProcess.js';

const DOCKER = process.env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const docker = async (...args: string[]) => (await promisify(execFile)(DOCKER, args)).stdout.trim();
const hasBase = await docker('image', 'inspect', 'python:3.11-slim').then(() => true, () => false);
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
if (!hasBase && !required) console.warn('\n!!!!!!!! SKIPPING the builds prune e2e test: no Docker engine with python:3.11-slim (run tooling/e2e/scripts/up.sh)\n');

describe.runIf(hasBase || required)('builds prune --remove-images on the real engine', () => {
  const old = `stowage-prune-e2e:${process.pid}-old`;
  const shared = `stowage-prune-e2e:${process.pid}-shared`;
  afterAll(async () => {
    for (const image of [old, shared]) await docker('image', 'rm', image).catch(() => undefined);
  });

  it('removes the images only pruned builds built; an image a kept build uses stays; a gone one is fine', async () => {
    for (const image of [old, shared]) await docker('tag', 'python:3.11-slim', image);
    const dir = await projectWith([
      buildRecord(1, 'train', 40 * DAY, [{ name: old }, { name: shared }, { name: `stowage-prune-e2e:${process.pid}-gone` }]),
      buildRecord(2, 'train', 1 * DAY, [{ name: shared, action: 'reused' }]),
    ]);
    const r = await stowage(dir, ['builds', 'prune', '--keep', '1', '--remove-images', '--yes', '--json'], { ...process.env, DOCKER_HOST: undefined });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).images).toEqual([
      { image: old, removed: true },
      { image: `stowage-prune-e2e:${process.pid}-gone`, removed: true, reason: 'already gone' },
    ]);
    await expect(docker('image', 'inspect', old)).rejects.toThrow();
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', shared)).toMatch(/^sha256:/);
    // The parent image itself is untouched: only the tag went.
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', 'python:3.11-slim')).toMatch(/^sha256:/);
  });
});
