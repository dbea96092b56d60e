import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BuildStore, type PipelineBuild } from '@stowage/core';
import { stowage } from './runInProcess.js';
import { pipelineBuild } from '@stowage/testing';

const BASE = 'pipeline: { name: hostile, python_version: "3.11" }\n';

function project(yaml = BASE, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-hostile-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

const record = (id: string): PipelineBuild => pipelineBuild({ id, pipeline: 'hostile', containsCode: false });

describe('stowage plan does not run project code', () => {
  // `plugins: ["./evil.mjs"]` used to be imported (and run) before it was rejected.
  it.each(['./evil.mjs', '/tmp/evil.mjs', 'file:./evil.mjs', 'evil/../evil.mjs'])('plugins: [%j] is refused at its key, never imported', async (entry) => {
    const marker = join(mkdtempSync(join(tmpdir(), 'stowage-marker-')), 'ran');
    const dir = project(`${BASE}plugins: [${JSON.stringify(entry)}]\n`, { 'evil.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default {};\n` });
    const r = await stowage(dir, ['plan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: stowage.yaml:2 plugins[0]: ${JSON.stringify(entry)} is not a package name: plugins are loaded from the project's node_modules, never from a path`);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('hostile input to the CLI: exit 2 with file and key, nothing hangs', () => {
  it.each([
    [['plan', '--config', '']],
    [['builds', 'list', '--config', '']],
  ])('%j is refused', async (argv) => {
    const r = await stowage(project(), argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the config file path is empty');
  });

  it('--config on a named pipe is refused at once', async () => {
    const dir = project();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const r = await stowage(dir, ['plan', '--config', 'pipe.yaml']);
    expect(r).toMatchObject({ code: 2, stderr: 'error: pipe.yaml: the config file is a named pipe, not a regular file\n  hint: check the path given to --config\n' });
  });

  it('an alias bomb is bad input (exit 2), not an unexpected failure', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = await stowage(project(`${lines.join('\n')}\n`), ['plan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: stowage.yaml:2: invalid YAML: aliases (*name) expand to more than 100 copies');
  });

  it('builds list never opens a named pipe in .stowage/builds, and reports odd files once', async () => {
    const dir = project();
    const store = new BuildStore(join(dir, '.stowage'));
    await store.save(record('a1'));
    execFileSync('mkfifo', [join(store.dir, 'x.json')]);
    writeFileSync(join(store.dir, 'copy.json'), JSON.stringify(record('a1')));
    const r = await stowage(dir, ['builds', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as PipelineBuild[]).map((b) => b.id)).toEqual(['a1']);
    expect(r.stderr.trim().split('\n')).toEqual([
      `warning: ${store.dir}: 2 files are not a build record Stowage can read and were skipped: copy.json (holds build a1: a copy, or renamed by hand), x.json (is a named pipe, not a regular file); move them out of the folder`,
    ]);
  });

  it.each([['get'], ['delete']])('builds %s with an id that is a path is a usage error', async (command) => {
    const r = await stowage(project(), ['builds', command, '../../../etc/passwd', '--yes'].slice(0, command === 'get' ? 3 : 4));
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain('error: "../../../etc/passwd" is not a build id');
  });

  it('build --build FILE whose id climbs out of the store writes nothing outside it', async () => {
    const dir = project();
    mkdirSync(join(dir, 'sub'));
    const victim = join(dir, 'victim.json');
    writeFileSync(join(dir, 'shared.yaml'), stringify({ ...record('x'), id: '../../victim' }));
    const r = await stowage(join(dir, 'sub'), ['build', '--config', '../stowage.yaml', '--build', '../shared.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('id: expected a build id of letters, digits, `.`, `_` and `-`');
    expect(existsSync(victim)).toBe(false);
    expect(existsSync(join(dir, '.stowage', 'builds')) ? readdirSync(join(dir, '.stowage', 'builds')) : []).toEqual([]);
  });

  it('build_config.build_options.dockerfile cannot swap in another file of the context', async () => {
    const r = await stowage(project(`${BASE}settings: { docker: { build_config: { build_options: { dockerfile: evil.Dockerfile } } } }\n`), ['plan']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('settings.docker.build_config.build_options.dockerfile: "dockerfile" cannot be set: the Dockerfile built is the one Stowage generates');
  });
});

describe('secrets in plans', () => {
  it('a literal value under a credential-named key is not printed; a .env in the copied code is warned about', async () => {
    const yaml = `${BASE}settings:\n  docker:\n    environment: { DB_PASSWORD: "hunter2-literal", MODE: prod }\n    build_config: { build_options: { buildargs: { NPM_TOKEN: "npm_0123456789" } } }\n`;
    const dir = project(yaml, { '.env': 'DB_PASSWORD=hunter2-literal\n', 'main.py': 'print(1)\n' });
    const text = await stowage(dir, ['plan']);
    const json = await stowage(dir, ['plan', '--json']);
    for (const r of [text, json]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/hunter2-literal|npm_0123456789/);
    }
    expect(text.stdout).toContain('ENV DB_PASSWORD="***"');
    expect(text.stderr).toContain(`warning: .env in ${dir} is sent with the build context and copied into the image`);
  });
});
