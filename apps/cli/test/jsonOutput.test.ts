import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildStore } from '@stowage/core';
import { stowage } from './runInProcess.js';
import { pipelineBuild } from '@stowage/testing';

const YAML = `
pipeline: { name: training, python_version: "3.11" }
settings: { docker: { requirements: [pandas==2.2.2] } }
steps: { train: { settings: { docker: { apt_packages: [git] } } } }
stacks:
  local: { image_builder: { flavor: local } }
  shared:
    image_builder: { flavor: local }
    container_registry: { flavor: oci, uri: 127.0.0.1:5000, default_repository: ml, username: bot, password: "\${REG_PASSWORD}" }
active_stack: local
`;
const ENV = { ...process.env, REG_PASSWORD: 'reg-pass-super-secret-7' };

function project(yaml = YAML): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-json-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  return dir;
}

/** The one JSON error object: the last line of stderr. */
function jsonError(stderr: string): { error: Record<string, unknown> } {
  const last = stderr.trimEnd().split('\n').at(-1)!;
  return JSON.parse(last) as { error: Record<string, unknown> };
}

describe('--json on every command', () => {
  it('stack list --json marks the active stack and names each component flavor', async () => {
    const r = await stowage(project(), ['stack', 'list', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'local', active: true, components: { image_builder: 'local' } },
      { name: 'shared', active: false, components: { image_builder: 'local', container_registry: 'oci' } },
    ]);
  });

  it('stack describe --json has the components, registry and capabilities; the password is redacted', async () => {
    const r = await stowage(project(), ['stack', 'describe', 'shared', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('reg-pass-super-secret-7');
    const stack = JSON.parse(r.stdout);
    expect(stack).toMatchObject({
      name: 'shared',
      implicit: false,
      containerRegistry: { flavor: 'oci', uri: '127.0.0.1:5000', defaultRepository: 'ml' },
      imageBuilder: { flavor: 'local', remote: false },
      artifactStore: null,
    });
    expect(stack.components.map((c: { key: string }) => c.key)).toEqual(['image_builder', 'container_registry']);
    expect(stack.components[1].config.password).toBe('***');
  });

  it('stack validate says what it checked and what it did not (engine, logins), pointing at doctor', async () => {
    const dir = project();
    const text = await stowage(dir, ['stack', 'validate'], ENV);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('stack local: configuration is valid (image_builder=local)');
    expect(text.stdout).toMatch(/not checked: the Docker engine and BuildKit, registry logins.*run `stowage doctor`/);
    const json = await stowage(dir, ['stack', 'validate', 'shared', '--json'], ENV);
    expect(JSON.parse(json.stdout)).toMatchObject({ stack: 'shared', configValid: true, notChecked: expect.arrayContaining(['registry logins']) });
  });

  it('builds delete --json prints { id, deleted }', async () => {
    const dir = project('pipeline: { name: x }\n');
    const build = pipelineBuild({ id: 'ab53ca00-0000-4000-8000-000000000001', pipeline: 'x' });
    await new BuildStore(join(dir, '.stowage')).save(build);
    const r = await stowage(dir, ['builds', 'delete', 'ab53', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: build.id, deleted: true });
  });

  it('dockerfile --json gives the image and its Dockerfiles', async () => {
    const r = await stowage(project(), ['dockerfile', 'train', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ step: 'train', action: 'build', dockerfiles: [{ role: expect.any(String), dockerfile: expect.stringContaining('apt-get') }] });
  });

  it('run --json without --dry-run is bad input (exit 2), as JSON', async () => {
    const r = await stowage(project(), ['run', 'train', '--json'], ENV);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('--json needs --dry-run') });
  });
});

describe('errors as one JSON object on stderr with --json', () => {
  it('a config error keeps its file, line, key path and hint; exit code unchanged; no stack trace', async () => {
    const dir = project('pipeline: { name: x }\nsettings:\n  docker:\n    requirments: [pandas]\n');
    const r = await stowage(dir, ['plan', '--json'], ENV);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    const { error } = jsonError(r.stderr);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', file: 'stowage.yaml', line: 4, keyPath: 'settings.docker.requirments' });
    expect(Object.keys(error)).toEqual(expect.arrayContaining(['code', 'message', 'file', 'line', 'keyPath', 'hint']));
    expect(String(error.message)).toContain('did you mean "requirements"?');
  });

  it('a usage error from the command line (unknown option) is JSON too, and commander prints nothing else', async () => {
    const r = await stowage(project(), ['stack', 'list', '--json', '--bogus'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(jsonError(r.stderr).error).toMatchObject({ code: 'USAGE', message: "unknown option '--bogus'", file: null, line: null, keyPath: null });
  });

  it('an unknown stack is JSON with its hint; a credential in the message is redacted', async () => {
    const r = await stowage(project(), ['stack', 'describe', 'nope', '--json'], ENV);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr).error).toMatchObject({ code: 'STACK_UNKNOWN' });
    expect(r.stderr).not.toContain('reg-pass-super-secret-7');
  });

  it('without --json errors stay text', async () => {
    const r = await stowage(project(), ['stack', 'describe', 'nope'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
  });

  it('--json after `--` is an argument of run, not the option', async () => {
    const r = await stowage(project(), ['run', 'train', '--dry-run', '--', '--json'], ENV);
    expect(r.stderr).toMatch(/^error: /);
  });
});
