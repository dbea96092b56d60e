import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildStore, type PipelineBuild } from '@stowage/core';
import { pipelineBuild } from '@stowage/testing';
import { stowage } from './runInProcess.js';

async function projectWithBuilds(): Promise<{ dir: string; builds: PipelineBuild[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-builds-'));
  writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: x }\n');
  const store = new BuildStore(join(dir, '.stowage'));
  const make = (id: string, pipeline: string, created: string, seconds: number): PipelineBuild => pipelineBuild({ id, pipeline, created, durationSeconds: seconds });
  const builds = [
    make('ab53ca00-0000-4000-8000-000000000001', 'train-model', '2026-11-01T10:00:00.000Z', 12),
    make('cd00ef00-0000-4000-8000-000000000002', 'train-eval', '2026-11-02T10:00:00.000Z', 3),
    make('ef11aa00-0000-4000-8000-000000000003', 'serve', '2026-11-03T10:00:00.000Z', 40),
  ];
  for (const b of builds) await store.save(b);
  return { dir, builds };
}

const ids = (stdout: string) => (JSON.parse(stdout) as PipelineBuild[]).map((b) => b.id.slice(0, 4));

describe('stowage builds', () => {
  it.each([
    [[], ['ef11', 'cd00', 'ab53']],
    [['--pipeline', 'startswith:train'], ['cd00', 'ab53']],
    [['--pipeline', 'train-eval'], ['cd00']],
    [['--id', 'startswith:ab53'], ['ab53']],
    [['--duration', 'gt:10'], ['ef11', 'ab53']],
    [['--created', 'lt:2026-11-02'], ['ab53']],
    [['--pipeline', 'contains:train', '--duration', 'lte:5'], ['cd00']],
  ])('list %j', async (filters, expected) => {
    const { dir } = await projectWithBuilds();
    const r = await stowage(dir, ['builds', 'list', '--json', ...filters]);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(r.stdout)).toEqual(expected);
  });

  it('list prints a table, get shows one build by id prefix', async () => {
    const { dir } = await projectWithBuilds();
    const table = await stowage(dir, ['builds', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+PIPELINE\s+STACK\s+IMAGES\s+SIZE\s+TOOK\s+CREATED$/);
    const get = await stowage(dir, ['builds', 'get', 'cd00']);
    expect(get.stdout).toContain('pipeline: train-eval');
  });

  it('get prints Dockerfiles as literal blocks, as they are', async () => {
    const { dir } = await projectWithBuilds();
    const store = new BuildStore(join(dir, '.stowage'));
    const dockerfile = 'FROM python:3.11-slim\nRUN pip install "pandas>=2" && echo \'a: b\'\nENV LONG=' + 'x'.repeat(120) + '\n';
    const base = (await store.get('cd00'))!;
    const image = {
      key: 'pipeline', steps: [], action: 'built', imageName: 'stowage:p', imageReference: 'stowage:p', checksum: 'c',
      checksumInputs: { settings: {}, dockerfile: 'd', requirements: {}, parentImage: 'p', builder: 'local', buildOptions: '{}' },
      dockerfiles: [{ role: 'generated', imageName: 'stowage:p', content: dockerfile }], requirements: [], containsCode: false, codeStrategy: 'none',
    } as PipelineBuild['images'][number];
    await store.save({ ...base, id: 'dd00ff00-0000-4000-8000-000000000004', images: [image] });
    const get = await stowage(dir, ['builds', 'get', 'dd00']);
    expect(get.stdout).toContain(`content: |\n${dockerfile.trimEnd().split('\n').map((l) => `          ${l}`).join('\n')}\n`);
  });

  it('delete asks for confirmation, refuses without a terminal, deletes with --yes', async () => {
    const { dir } = await projectWithBuilds();
    const refused = await stowage(dir, ['builds', 'delete', 'ab53']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    const done = await stowage(dir, ['builds', 'delete', 'ab53', '--yes']);
    expect(done.stdout).toBe('Deleted pipeline build ab53ca00-0000-4000-8000-000000000001.\n');
    expect(ids((await stowage(dir, ['builds', 'list', '--json'])).stdout)).toEqual(['ef11', 'cd00']);
    const missing = await stowage(dir, ['builds', 'get', 'ab53']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no build with id "ab53"')]);
  });

  it('a filter value that cannot be compared is bad input (exit 2), not an empty list', async () => {
    const { dir } = await projectWithBuilds();
    const r = await stowage(dir, ['builds', 'list', '--duration', 'gt:abc']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'error: --duration gt:abc: expected a number']);
    const unknown = await stowage(dir, ['builds', 'list', '--bogus', 'x']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("unknown option '--bogus'")]);
  });

  it('does not need the config\'s ${VAR}s to list builds', async () => {
    const { dir } = await projectWithBuilds();
    writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: x }\nsettings: { docker: { environment: { T: "${UNSET_FOR_TEST}" } } }\n');
    const r = await stowage(dir, ['builds', 'list', '--json'], { PATH: process.env.PATH });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
  });
});
