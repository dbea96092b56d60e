import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

const YAML = `
pipeline: { name: training, python_version: "3.11" }
settings: { docker: { parent_image: "python:3.11-slim", environment: { STAGE: shared } } }
steps:
  load: {}
  evaluate: {}
  train: { settings: { docker: { environment: { STAGE: train } } } }
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-step-'));
  writeFileSync(join(dir, 'stowage.yaml'), YAML);
  writeFileSync(join(dir, 'main.py'), 'print(1)\n');
  return dir;
}

const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const images = (stdout: string) => (JSON.parse(stdout) as { images: { key: string }[] }).images.map((i) => i.key);

describe('--step', () => {
  it('plan --step train plans only the image train runs in (not the pipeline image)', async () => {
    const r = await stowage(project(), ['plan', '--json', '--step', 'train'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(images(r.stdout)).toEqual(['train']);
    expect(JSON.parse(r.stdout).steps).toEqual({ train: 'train' });
  });

  it('a step that runs in the pipeline image plans that image, with the other steps it serves', async () => {
    const r = await stowage(project(), ['plan', '--json', '--step', 'load'], env);
    expect(images(r.stdout)).toEqual(['pipeline']);
    expect(JSON.parse(r.stdout).steps).toEqual({ load: 'pipeline', evaluate: 'pipeline' });
  });

  it('is repeatable; without it every image is planned', async () => {
    const dir = project();
    expect(images((await stowage(dir, ['plan', '--json', '--step', 'load', '--step', 'train'], env)).stdout)).toEqual(['pipeline', 'train']);
    expect(images((await stowage(dir, ['plan', '--json'], env)).stdout)).toEqual(['pipeline', 'train']);
  });

  it.each([
    [['plan', '--step', 'trian'], '--step trian: the pipeline has no step named "trian"', 'did you mean "train"?'],
    [['build', '--step', 'trian'], '--step trian: the pipeline has no step named "trian"', 'did you mean "train"?'],
    [['build', '--step', 'zzz'], 'no step named "zzz"', 'steps: load, evaluate, train'],
    [['build', '--step', 'train', '--build', 'abc'], '--step and --build cannot be combined', 'leave out --build'],
    [['build', '--step'], "option '--step <name>' argument missing", ''],
  ])('%j is bad input: exit 2, a clear message, nothing built or recorded', async (argv, message, hint) => {
    const dir = project();
    const r = await stowage(dir, argv, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(hint);
    expect(r.stdout).toBe('');
    expect((await stowage(dir, ['builds', 'list', '--json'], env)).stdout).toBe('[]\n');
  });
});
