import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from '../resolve/resolveProject.js';
import { definePipeline, projectFromDefinition } from './definePipeline.js';
import { loadProjectConfig, projectFromObject } from './loadProjectConfig.js';
import { errorOf } from '../../test/errorOf.js';

function folder(name = 'project'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'stowage-hostile-')), name);
  mkdirSync(dir);
  return dir;
}

function write(content: string | Buffer, dir = folder()): string {
  writeFileSync(join(dir, 'stowage.yaml'), content);
  return dir;
}


const load = (dir: string, configPath?: string) => () => loadProjectConfig({ cwd: dir, configPath, env: {} });

describe('hostile config files get a bounded, clear outcome', () => {
  it('an alias bomb is refused as bad YAML (exit 2) at the first alias, without expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const e = errorOf(load(write(`${lines.join('\n')}\n`)));
    expect(e).toMatchObject({ code: 'YAML_SYNTAX', file: 'stowage.yaml', line: 2, message: 'invalid YAML: aliases (*name) expand to more than 100 copies' });
    expect(e.exitCode).toBe(2);
  });

  it('a few aliases still load', () => {
    const p = loadProjectConfig({ cwd: write('settings:\n  docker: &d { apt_packages: [git] }\nsteps:\n  a: { settings: { docker: *d } }\n'), env: {} });
    expect(p.steps[0]!.settings[0]!.raw).toEqual({ apt_packages: ['git'] });
  });

  // Before: yaml's duplicate-key check scanned the mapping once per key, over a minute for this
  // file (the vitest timeout fails it); the check is now a set per mapping. ~2 s here.
  it('a mapping of 100,000 keys loads and resolves in linear time', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `      K${i}: v\n`).join('');
    const p = loadProjectConfig({ cwd: write(`pipeline: { name: big }\nsettings:\n  docker:\n    environment:\n${keys}`), env: {} });
    const resolved = resolveProject(p, new IntegrationCatalog());
    expect(Object.keys(resolved.pipeline.settings.environment)).toHaveLength(100_000);
  }, 60_000);

  it('duplicate keys are still refused, at the second one', () => {
    expect(errorOf(load(write('pipeline: { name: a }\nsteps:\n  a: {}\n  b: {}\n  a: {}\n')))).toMatchObject({
      code: 'YAML_SYNTAX',
      line: 5,
      keyPath: 'steps.a',
      message: 'invalid YAML: duplicate key: the second one would silently replace the first',
    });
  });

  it.each([
    ['1,300 levels (the YAML parser runs out of stack)', 1300, { line: 2, keyPath: undefined }],
    ['100 levels', 100, { line: 2, keyPath: 'extra[0][0]' }],
  ])('nesting %s deep is refused with a clear message, no stack overflow', (_, depth, where) => {
    const e = errorOf(load(write(`pipeline: { name: deep }\nextra: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)));
    expect(e).toMatchObject({ code: 'YAML_SYNTAX', message: 'invalid YAML: nested more than 64 levels deep', ...where });
  });

  it('--config on a named pipe is refused at once (it used to wait for a writer forever)', () => {
    const dir = folder();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const e = errorOf(load(dir, 'pipe.yaml'));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', file: 'pipe.yaml', message: 'the config file is a named pipe, not a regular file' });
    expect(e.exitCode).toBe(2);
  });

  it('--config /dev/zero is refused without reading it (it used to grow memory without bound)', () => {
    expect(errorOf(load(folder(), '/dev/zero'))).toMatchObject({ code: 'CONFIG_INVALID', message: 'the config file is a character device, not a regular file' });
  });

  it('a config file over 16 MiB is refused', () => {
    const dir = write(Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    expect(errorOf(load(dir, 'stowage.yaml'))).toMatchObject({ code: 'CONFIG_INVALID', message: 'the config file is larger than 16 MiB' });
  });

  it.each([[''], ['  ']])('--config %j is refused, not taken as "search for stowage.yaml"', (path) => {
    const dir = write('pipeline: { name: a }\n');
    expect(errorOf(load(dir, path))).toMatchObject({ code: 'USAGE', message: 'the config file path is empty' });
  });

  it('bytes that are not UTF-8 are refused with the file, line and key path', () => {
    const bytes = Buffer.concat([Buffer.from('pipeline: { name: a }\nsettings:\n  docker:\n    environment:\n      A: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]);
    expect(errorOf(load(write(bytes)))).toMatchObject({
      code: 'YAML_SYNTAX',
      file: 'stowage.yaml',
      line: 5,
      keyPath: 'settings.docker.environment.A',
      message: 'the config file is not valid UTF-8',
    });
  });

  it('non-ASCII text in UTF-8 loads', () => {
    const p = loadProjectConfig({ cwd: write('pipeline: { name: "train-модель" }\nsettings: { docker: { environment: { GREETING: "привет" } } }\n'), env: {} });
    expect(p.pipelineSettings[0]!.raw).toEqual({ environment: { GREETING: 'привет' } });
  });

  it('a pipeline name with no character an image tag can hold is refused at pipeline.name', () => {
    expect(errorOf(load(write('pipeline: { name: "шаг" }\n')))).toMatchObject({
      code: 'CONFIG_INVALID',
      line: 1,
      keyPath: 'pipeline.name',
      message: 'the pipeline name "шаг" has no letter or digit that an image tag can hold',
    });
  });

  it('so is a config folder name used as the pipeline name', () => {
    const e = errorOf(load(write('settings: {}\n', folder('проект'))));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'pipeline.name', file: 'stowage.yaml' });
    expect(e.message).toContain('"проект"');
  });

  it('`__proto__` as a step or environment key is refused where it is written (it used to vanish)', () => {
    const yaml = 'pipeline: { name: a }\nsettings:\n  docker:\n    environment: { __proto__: x, B: y }\nsteps:\n  __proto__:\n    command: [python]\n';
    const e = errorOf(load(write(yaml)));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', line: 4, keyPath: 'settings.docker.environment.__proto__', hint: 'rename it' });
    expect(e.message).toBe('the key "__proto__" cannot be used: it is reserved in JavaScript and would be dropped');
    expect(e.details).toEqual(['stowage.yaml:6 steps.__proto__: the key "__proto__" cannot be used: it is reserved in JavaScript and would be dropped (hint: rename it)']);
  });

  it('and in the TypeScript API', () => {
    const steps = JSON.parse('{"__proto__": {"command": ["python"]}}') as Record<string, { command: string[] }>;
    const definition = definePipeline({ name: 'a', steps });
    expect(errorOf(() => projectFromDefinition(definition, { cwd: folder(), env: {} }))).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'steps.__proto__' });
  });
});

describe('pipeline names and folders without ASCII', () => {
  it('a project-less listing in a folder named without ASCII still works (no config file, no tag)', () => {
    expect(projectFromObject({}, { source: {}, env: {}, root: folder('проект') }).pipelineName).toBe('проект');
  });

  it('a code-defined pipeline name is checked too', () => {
    expect(errorOf(() => projectFromDefinition(definePipeline({ name: 'шаг' }), { cwd: folder(), env: {} }))).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'pipeline.name' });
  });
});
