import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProjectConfigSchema } from '@stowage/core';
import { lowerBound } from '../src/init/detectProject.js';
import { stowage } from './runInProcess.js';

function folder(files: Record<string, string> = {}, name = 'stowage-init-'): string {
  const dir = join(mkdtempSync(join(tmpdir(), name)), 'my-project');
  mkdirSync(dir);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('stowage init', () => {
  it('writes a commented stowage.yaml with the schema line and the schema; plan works on it', async () => {
    const dir = folder({ 'requirements.txt': 'six==1.16.0\n', '.python-version': '3.12.4\n', 'main.py': 'print(1)\n' });
    const r = await stowage(dir, ['init'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote stowage.yaml and stowage.schema.json.');
    expect(r.stdout).toContain('python version: 3.12 (from .python-version)');
    const text = readFileSync(join(dir, 'stowage.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./stowage.schema.json');
    const config = parse(text) as Record<string, unknown>;
    expect(ProjectConfigSchema.safeParse(config).error).toBeUndefined();
    expect(config).toMatchObject({ pipeline: { name: 'my-project', python_version: '3.12' }, settings: { docker: { requirements: 'requirements.txt' } }, active_stack: 'default' });
    const schema = JSON.parse(readFileSync(join(dir, 'stowage.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['pipeline', 'settings', 'stacks']));
    // The file it wrote is a project Stowage can plan.
    const plan = await stowage(dir, ['plan', '--json'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).images[0].parentImage).toBe('python:3.12-slim');
  });

  it('detects pyproject.toml: its name, requires-python lower bound, pyproject_path; --json prints what it wrote', async () => {
    const dir = folder({ 'pyproject.toml': '[project]\nname = "churn-model"\nrequires-python = ">=3.10,<3.13"\ndependencies = ["pandas"]\n' });
    const r = await stowage(dir, ['init', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.detected).toEqual({ name: { value: 'churn-model', from: 'pyproject.toml' }, pyproject: 'pyproject.toml', pythonVersion: { value: '3.10', from: 'pyproject.toml requires-python ">=3.10,<3.13"' } });
    expect(out.files.map((f: { path: string }) => f.path)).toEqual([join(dir, 'stowage.yaml'), join(dir, 'stowage.schema.json')]);
    expect(out.files[0].content).toBe(readFileSync(join(dir, 'stowage.yaml'), 'utf8'));
    expect(parse(out.files[0].content)).toMatchObject({ pipeline: { name: 'churn-model', python_version: '3.10' }, settings: { docker: { pyproject_path: 'pyproject.toml' } } });
  });

  it('refuses to overwrite stowage.yaml (exit 2, nothing written) unless --force', async () => {
    const dir = folder({ 'stowage.yaml': 'pipeline: { name: mine }\n' });
    const r = await stowage(dir, ['init'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stowage\.yaml already exists; nothing was written\n {2}hint: pass --force to overwrite it/);
    expect(readFileSync(join(dir, 'stowage.yaml'), 'utf8')).toBe('pipeline: { name: mine }\n');
    expect(readdirSync(dir)).toEqual(['stowage.yaml']);
    const forced = await stowage(dir, ['init', '--force', '--name', 'training', '--python', '3.11'], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(parse(readFileSync(join(dir, 'stowage.yaml'), 'utf8'))).toMatchObject({ pipeline: { name: 'training', python_version: '3.11' } });
  });

  it.each([['stowage.config.ts', 'export default {};\n'], ['stowage.yml', 'pipeline: { name: mine }\n']])(
    'refuses to add a second project config next to %s, even with --force (exit 2, nothing written)',
    async (existing, content) => {
      const dir = folder({ [existing]: content });
      for (const args of [['init'], ['init', '--force']]) {
        const r = await stowage(dir, args, env);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^error: ${existing.replace('.', '\\.')} already configures this folder; nothing was written`));
        expect(readdirSync(dir)).toEqual([existing]);
      }
    },
  );

  it('refuses to overwrite an existing stowage.schema.json unless --force', async () => {
    const dir = folder({ 'stowage.schema.json': '{"mine": true}\n' });
    const r = await stowage(dir, ['init'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stowage\.schema\.json already exists; nothing was written/);
    expect(readdirSync(dir)).toEqual(['stowage.schema.json']);
    expect((await stowage(dir, ['init', '--force'], env)).code).toBe(0);
  });

  it('writes where --config says', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'ml'));
    const r = await stowage(dir, ['--config', 'ml/stowage.yaml', 'init'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'ml', 'stowage.yaml')) && existsSync(join(dir, 'ml', 'stowage.schema.json'))).toBe(true);
  });

  it.each([
    [['init', '--python', '3'], '--python 3: expected a Python version like 3.11'],
    [['init', '--python', '2.7'], '--python 2.7: expected a Python version like 3.11'],
    [['init', '--name', ' '], '--name is empty'],
    [['--config', 'missing/stowage.yaml', 'init'], 'the folder'],
    [['init', '--bogus'], "unknown option '--bogus'"],
  ])('bad input %j: exit 2, a clear message, nothing written', async (argv, message) => {
    const dir = folder();
    const r = await stowage(dir, argv, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a pyproject.toml that is not TOML: exit 2 naming the file and line, nothing written', async () => {
    const dir = folder({ 'pyproject.toml': '[project]\nname = "x"\nrequires-python = >=3.10\n' });
    const r = await stowage(dir, ['init'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: pyproject\.toml:3: not valid TOML: /);
    expect(readdirSync(dir)).toEqual(['pyproject.toml']);
  });

  it.each([
    ['>=3.10', '3.10'],
    ['>=3.9,<3.13', '3.9'],
    ['<3.13,>=3.11', '3.11'],
    ['~=3.11.2', '3.11'],
    ['^3.12', '3.12'],
    ['==3.10.*', '3.10'],
    ['3.11', '3.11'],
    ['<3.13', undefined],
  ])('requires-python %s → %s', (spec, expected) => expect(lowerBound(spec)).toBe(expected));
});
