import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildStore, Redactor, type BuildPlan, type BuildResult, type PipelineBuild } from '@stowage/core';
import pc from 'picocolors';
import { BuildLogs } from '../src/logs/BuildLogs.js';
import { buildSummary } from '../src/output/buildSummary.js';
import { warningsText } from '../src/output/planText.js';
import { stowage } from './runInProcess.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-logs-'));
  writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: x }\n');
  return dir;
}

function attempt(dir: string, buildId: string | undefined, lines: Record<string, string[]>, kept?: number, limit?: number): BuildLogs {
  const logs = BuildLogs.start(join(dir, '.stowage'), kept, limit);
  for (const [key, ls] of Object.entries(lines)) for (const l of ls) logs.line(key, l);
  const images = Object.keys(lines).map((key) => ({ key, imageName: `stowage:${key}`, state: 'built', log: `${key}.log` }));
  logs.finish({ pipeline: 'x', stack: 'default', started: new Date().toISOString(), seconds: 1, outcome: buildId ? 'succeeded' : 'failed', buildId, images });
  return logs;
}

describe('saved build logs and `stowage logs`', () => {
  it('prints one image log of a build by id or prefix, every image by default, as JSON on request', async () => {
    const dir = project();
    attempt(dir, 'aaaa1111-build', { pipeline: ['Step 1/2 : FROM python', '\r50%|█ \r100%|██'], train: ['下载完成'] });
    const one = await stowage(dir, ['logs', 'aaaa', 'train']);
    expect(one).toMatchObject({ code: 0, stdout: '下载完成\n' });
    const all = await stowage(dir, ['logs']);
    expect(all.stdout).toMatch(/^==> pipeline \(built\): \.stowage\/logs\/\S+\/pipeline\.log <==\nStep 1\/2 : FROM python\n\r50%\|█ \r100%\|██\n==> train/);
    const json = JSON.parse((await stowage(dir, ['logs', 'aaaa1111-build', '--json'])).stdout);
    expect(json).toMatchObject({ buildId: 'aaaa1111-build', outcome: 'succeeded', images: [{ key: 'pipeline' }, { key: 'train', log: '下载完成\n' }] });
  });

  it('unknown build or image ids are bad input (exit 2) with what exists', async () => {
    const dir = project();
    expect(await stowage(dir, ['logs'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no build logs in') });
    attempt(dir, 'bbbb2222-build', { pipeline: ['x'] });
    const build = await stowage(dir, ['logs', 'nope']);
    expect(build.code).toBe(2);
    expect(build.stderr).toContain('no build logs for "nope"');
    expect(build.stderr).toContain('bbbb2222-build');
    const image = await stowage(dir, ['logs', 'bbbb', 'nope']);
    expect(image.code).toBe(2);
    expect(image.stderr).toMatch(/has no image "nope"[\s\S]*its images: pipeline/);
    expect(JSON.parse((await stowage(dir, ['logs', 'nope', '--json'])).stderr.trim())).toMatchObject({ error: { code: 'BUILD_NOT_FOUND' } });
  });

  it('keeps the last N attempts and cuts a runaway log at its size limit', () => {
    const dir = project();
    const made = [1, 2, 3, 4].map((n) => attempt(dir, `build-${n}`, { pipeline: ['x'.repeat(40), 'y'.repeat(40)] }, 3, 60));
    const kept = readdirSync(join(dir, '.stowage/logs')).sort();
    expect(kept).toEqual(made.slice(1).map((l) => l.attempt));
    const log = readFileSync(made[3]!.pathOf('pipeline'), 'utf8');
    expect(log).toBe(`${'x'.repeat(40)}\n… (log cut at 60 bytes)\n`);
    expect(existsSync(made[0]!.dir)).toBe(false);
  });
});

describe('the build summary', () => {
  const image = (key: string, action: PipelineBuild['images'][number]['action'], extra: object = {}) =>
    ({ key, action, steps: [key], imageReference: `stowage:${key}`, digest: undefined, ...extra }) as unknown as PipelineBuild['images'][number];
  const result = (images: PipelineBuild['images']) => ({ build: { id: 'b1', durationSeconds: 12.3, images } }) as unknown as BuildResult;
  const plan = (kind: string) => ({ outcome: { kind, buildId: 'old1' }, images: [{}, {}], stack: { name: 'default' } }) as unknown as BuildPlan;
  const c = pc.createColors(false);

  it('a new build: action, time, size, digest per image and the counts', () => {
    const text = buildSummary(plan('new-build'), result([image('pipeline', 'built', { durationSeconds: 8.1, sizeBytes: 45_200_000, digest: 'sha256:0123456789abcdef0123' }), image('train', 'reused')]), c);
    expect(text.split('\n')).toEqual([
      'Created pipeline build b1 in 12s: 1 built, 1 reused, 0 unchanged.',
      '  ✓ pipeline  built   8.1s  45.2MB  sha256:0123456789ab  stowage:pipeline  (steps: pipeline)',
      '  ↺ train     reused  -     -       -                    stowage:train  (steps: train)',
      '',
    ]);
  });

  it('after a full reuse no image is shown as built', () => {
    const text = buildSummary(plan('existing-build'), result([image('pipeline', 'built'), image('train', 'built')]), c);
    expect(text).toContain('Reusing existing build old1 for stack default, nothing changed: 0 built, 0 reused, 2 unchanged.');
    expect(text).not.toMatch(/ built /);
    expect(buildSummary(plan('existing-build'), result([image('pipeline', 'built')]), c, true).split('\n')).toHaveLength(2);
  });
});

const IMAGE = {
  key: 'p',
  steps: [],
  action: 'built',
  imageName: 'stowage:p',
  imageReference: 'stowage:p',
  checksum: 'c',
  checksumInputs: { settings: {}, dockerfile: 'd', requirements: {}, parentImage: 'python', builder: 'local', buildOptions: '{}' },
  dockerfiles: [],
  requirements: [],
  containsCode: false,
  codeStrategy: 'none',
  durationSeconds: 60,
  sizeBytes: 1_500_000,
};

describe('builds list', () => {
  it('sizes columns to their widest cell, shows size and age, and takes --limit', async () => {
    const dir = project();
    const store = new BuildStore(join(dir, '.stowage'));
    const make = (id: string, pipeline: string, created: string): PipelineBuild =>
      ({ id, pipeline, stack: { name: 'default', checksum: 's' }, checksum: 'c', images: [IMAGE], containsCode: false, isLocal: true, toolVersion: '0', pythonVersion: '3.11', created, durationSeconds: 65 }) as unknown as PipelineBuild;
    await store.save(make('b-1', 'a-really-long-pipeline-name-that-breaks-fixed-columns', '2026-01-01T00:00:00.000Z'));
    await store.save(make('b-2', 'short', new Date(Date.now() - 120_000).toISOString()));
    const r = await stowage(dir, ['builds', 'list']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +PIPELINE {47}STACK +IMAGES +SIZE +TOOK +CREATED$/);
    expect(lines[1]).toMatch(/^b-2 {2}short {50}default +1 +1\.50MB +1m05s +2m ago \(/);
    expect(lines[1]!.indexOf('default')).toBe(lines[2]!.indexOf('default'));
    expect((await stowage(dir, ['builds', 'list', '--limit', '1'])).stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(await stowage(dir, ['builds', 'list', '--limit', '0'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--limit must be a positive integer') });
  });
});

describe('warnings', () => {
  it('keys only ZenML uses are summarised in one line per file', () => {
    const w = (keyPath: string, what: string) => ({ file: 'run.yaml', keyPath, line: 3, message: `${what} is not used by Stowage; ignored` });
    const text = warningsText({ warnings: [w('enable_cache', 'ZenML key `enable_cache`'), w('steps.train.resources', 'ZenML step key `resources`'), { message: 'other thing' }] }, new Redactor());
    expect(text).toBe('warning: other thing\nwarning: run.yaml: 2 ZenML-only keys ignored (not used by Stowage): enable_cache, steps.train.resources\n');
  });
});
