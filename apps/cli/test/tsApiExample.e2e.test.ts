/**
 * examples/ts-api run as a user runs it (`pnpm start`: plan(), build(), listBuilds() in one
 * call each) on a copy of its project, against the real Docker engine of the e2e harness.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const DOCKER = process.env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const docker = async (...args: string[]) => (await promisify(execFile)(DOCKER, args)).stdout.trim();
const hasBase = await docker('image', 'inspect', 'python:3.11-slim').then(() => true, () => false);
const required = Boolean(process.env['STOWAGE_E2E_READY'] || process.env['CI']);
if (!hasBase && !required) console.warn('\n!!!!!!!! SKIPPING the ts-api example e2e test: no Docker engine with python:3.11-slim (run tooling/e2e/scripts/up.sh)\n');

const example = join(import.meta.dirname, '../../../examples/ts-api');

describe.runIf(hasBase || required)('examples/ts-api on the real engine', () => {
  const project = mkdtempSync(join(tmpdir(), 'stowage-ts-api-e2e-'));
  cpSync(join(example, 'project'), project, { recursive: true });
  const images: string[] = [];
  afterAll(async () => {
    for (const image of images) await docker('image', 'rm', '-f', image).catch(() => undefined);
  });
  const start = async () => (await promisify(execFile)('pnpm', ['-s', 'start', project], { cwd: example })).stdout;

  it('plans and builds, then reuses the build and lists it', async () => {
    const first = await start();
    images.push(...[...first.matchAll(/^plan: \S+ build (\S+)$/gm)].map((m) => m[1]!));
    expect(images).toHaveLength(2);
    const id = /^created pipeline build (\S+) \(2 built\)$/m.exec(first)?.[1];
    expect(id).toBeDefined();
    expect(first).toContain(`latest build: ${id} of ts-api-example on default`);
    for (const image of images) await docker('image', 'inspect', image);
    const second = await start();
    expect(second).toContain(`reused pipeline build ${id} (0 built)`);
  }, 240_000);
});
