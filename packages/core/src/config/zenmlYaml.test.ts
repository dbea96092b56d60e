import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettingsPaths } from '../gather/checkSettingsPaths.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from '../resolve/resolveProject.js';
import { configJsonSchema } from './configJsonSchema.js';
import { loadProjectConfig } from './loadProjectConfig.js';
import { errorOf } from '../../test/errorOf.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'stowage-zenml-yaml-'));
}

function load(yaml: string, env: Record<string, string> = {}, dir = folder()) {
  writeFileSync(join(dir, 'stowage.yaml'), `pipeline: { name: p }\n${yaml}`);
  return loadProjectConfig({ cwd: dir, env });
}

/** Loads and resolves: the pipeline's and each step's settings, as `stowage plan` sees them. */
function resolved(yaml: string, env: Record<string, string> = {}) {
  const r = resolveProject(load(yaml, env), new IntegrationCatalog());
  return { pipeline: r.pipeline.settings, step: (name: string) => r.steps.find((s) => s.name === name)!.settings };
}


describe('null values are dropped before merging, as ZenML does', () => {
  it("a step's `null` keeps the pipeline's value (ZenML merges steps with ignore_none)", () => {
    const r = resolved('settings: { docker: { parent_image: "a:1", user: app, requirements: [x] } }\nsteps:\n  s:\n    settings: { docker: { parent_image: null, user: ~, requirements: } }\n');
    expect(r.step('s')).toMatchObject({ parent_image: 'a:1', user: 'app', requirements: ['x'] });
  });

  it('`""` at a step still returns a field to the default (an empty value is "not given" in ZenML too)', () => {
    const r = resolved('settings: { docker: { parent_image: "a:1", user: app } }\nsteps:\n  s: { settings: { docker: { parent_image: "", user: "" } } }\n');
    expect(r.step('s').parent_image).toBeUndefined();
    expect(r.step('s').user).toBeUndefined();
  });

  it('null sections and null environment values are dropped, not errors', () => {
    const r = resolved('settings:\n  docker:\n    environment: { A: "1", B: null }\n    build_config: ~\nsteps:\n  s:\n    settings: ~\n  t:\n    settings: { docker: ~ }\n');
    expect(r.pipeline.environment).toEqual({ A: '1' });
    expect(r.step('s').environment).toEqual({ A: '1' });
  });

  it('a null inside installer args still renders a flag (user data, not a setting)', () => {
    expect(resolved('settings: { docker: { python_package_installer_args: { no-deps: null } } }\n').pipeline.python_package_installer_args).toEqual({ 'no-deps': null });
  });
});

describe('YAML 1.1 as PyYAML reads it', () => {
  it.each([
    ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true], ['True', true],
    ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false], ['FALSE', false],
  ])('`%s` is a boolean', (text, value) => {
    expect(resolved(`settings: { docker: { parent_image: "a:1", skip_build: ${text} } }\n`).pipeline.skip_build).toBe(value);
  });

  it('`y`, `n` and mixed case like `yEs` stay strings (PyYAML does not read them as booleans)', () => {
    expect(resolved('settings: { docker: { environment: { A: y, B: n, C: yEs } } }\n').pipeline.environment).toEqual({ A: 'y', B: 'n', C: 'yEs' });
    expect(load('steps:\n  y: { command: [python] }\n').steps.map((s) => s.name)).toEqual(['y']);
  });

  it('merge keys: one mapping, a list of them (earlier wins), explicit keys win over merged ones', () => {
    const yaml = [
      'settings:',
      '  docker: &pipe',
      '    parent_image: "base:1"',
      '    apt_packages: [git]',
      '    user: a',
      'steps:',
      '  s:',
      '    settings:',
      '      docker:',
      '        <<: [{ user: b, target_repository: team }, *pipe]',
      '        apt_packages: [curl]',
      '  t:',
      '    settings:',
      '      docker: { <<: *pipe, user: c }',
      '',
    ].join('\n');
    const r = resolved(yaml);
    expect(r.step('s')).toMatchObject({ parent_image: 'base:1', apt_packages: ['curl'], user: 'b', target_repository: 'team' });
    expect(r.step('t')).toMatchObject({ parent_image: 'base:1', apt_packages: ['git'], user: 'c' });
  });

  it('merge keys count towards the alias limit (an alias bomb through `<<` is refused)', () => {
    const lines = ['a0: &a0 { k: v }'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`{ <<: *a${i - 1} }`).join(', ')}]`);
    expect(errorOf(() => load(`${lines.join('\n')}\n`))).toMatchObject({ code: 'YAML_SYNTAX', message: 'invalid YAML: aliases (*name) expand to more than 100 copies' });
  });

  it('two merge keys in one mapping are fine (PyYAML merges both); a duplicate key next to them is still refused', () => {
    const ok = 'settings:\n  docker: &p { user: a }\nsteps:\n  s:\n    settings:\n      docker:\n        <<: *p\n        <<: { parent_image: "b:1" }\n';
    expect(resolved(ok).step('s')).toMatchObject({ user: 'a', parent_image: 'b:1' });
    const bad = 'settings:\n  docker: &p { user: a }\nsteps:\n  s:\n    settings:\n      docker:\n        <<: *p\n        user: b\n        user: c\n';
    expect(errorOf(() => load(bad))).toMatchObject({ code: 'YAML_SYNTAX', line: 10, keyPath: 'steps.s.settings.docker.user' });
  });

  it('`ON:` as a key is the name `ON` (PyYAML would make it `True`)', () => {
    expect(resolved('settings: { docker: { environment: { ON: "1", off: "0" } } }\n').pipeline.environment).toEqual({ ON: '1', off: '0' });
  });
});

describe('${VAR} results are coerced for boolean fields, as pydantic does', () => {
  it.each([
    ['true', true], ['True', true], ['1', true], ['yes', true], ['on', true],
    ['false', false], ['FALSE', false], ['0', false], ['no', false], ['off', false],
  ])('skip_build: ${SKIP} with SKIP=%s', (value, expected) => {
    expect(resolved('settings: { docker: { parent_image: "a:1", skip_build: "${SKIP}" } }\n', { SKIP: value }).pipeline.skip_build).toBe(expected);
  });

  it('a value pydantic would refuse is still an error at its key path', () => {
    const e = errorOf(() => load('settings: { docker: { skip_build: "${SKIP}" } }\n', { SKIP: 'maybe' }));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'settings.docker.skip_build' });
  });

  it('replicate_local_python_environment: ${R} with R=true is the boolean, not a command', () => {
    expect(resolved('settings: { docker: { replicate_local_python_environment: "${R}" } }\n', { R: 'true' }).pipeline.replicate_local_python_environment).toBe(true);
  });
});

describe('enums are case-insensitive, in the loader and in the JSON Schema', () => {
  it('python_package_installer: PIP, replicate_local_python_environment: PIP_FREEZE, source_files: DOWNLOAD', () => {
    const r = resolved('settings: { docker: { python_package_installer: PIP, replicate_local_python_environment: PIP_FREEZE } }\nsteps:\n  s: { settings: { docker: { source_files: Include } } }\n');
    expect(r.pipeline.python_package_installer).toBe('pip');
    expect(r.pipeline.replicate_local_python_environment).toBe('pip_freeze');
    expect(r.step('s').allow_including_files_in_images).toBe(true);
  });

  it('the JSON Schema editors validate with accepts `PIP` too', () => {
    const docker = (configJsonSchema() as any).properties.settings.properties.docker.properties;
    const accepts = (field: string, value: string) => new RegExp(docker[field].pattern ?? '^$').test(value) || (docker[field].enum ?? []).includes(value);
    expect(accepts('python_package_installer', 'PIP')).toBe(true);
    expect(accepts('python_package_installer', 'Uv')).toBe(true);
    expect(accepts('python_package_installer', 'conda')).toBe(false);
    expect(accepts('source_files', 'DOWNLOAD_OR_INCLUDE')).toBe(true);
  });
});

describe('values keep their YAML source text where the target is text', () => {
  it('environment and runtime_environment: 11.0, 3.10 and a 20-digit integer are written as typed', () => {
    const r = resolved('settings:\n  docker:\n    environment: { CUDA_VERSION: 11.0, PYVER: 3.10, BIG: 12345678901234567890, HEX: 0x1F, ON: yes, DATE: 2024-01-02 }\n    runtime_environment: { R: 1.50 }\n');
    expect(r.pipeline.environment).toEqual({ CUDA_VERSION: '11.0', PYVER: '3.10', BIG: '12345678901234567890', HEX: '0x1F', ON: 'yes', DATE: '2024-01-02' });
    expect(r.pipeline.runtime_environment).toEqual({ R: '1.50' });
  });

  it('also through an alias and a merge key', () => {
    const r = resolved('settings:\n  docker:\n    environment: &env { PYVER: 3.10 }\nsteps:\n  s:\n    settings:\n      docker:\n        environment: { <<: *env, CUDA: 11.0 }\n        runtime_environment: *env\n');
    expect(r.step('s').environment).toEqual({ PYVER: '3.10', CUDA: '11.0' });
    expect(r.step('s').runtime_environment).toEqual({ PYVER: '3.10' });
  });

  it('string fields written as numbers: image_tag: 1.0, pipeline python_version: 3.10, installer args', () => {
    const p = load('settings: { docker: { image_tag: 1.0, python_package_installer_args: { python: 3.10, upgrade: true } } }\n');
    const r = resolveProject(p, new IntegrationCatalog()).pipeline.settings;
    expect(r.image_tag).toBe('1.0');
    expect(r.python_package_installer_args).toEqual({ python: '3.10', upgrade: true });
    const dir = folder();
    writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: p, python_version: 3.10 }\n');
    expect(loadProjectConfig({ cwd: dir, env: {} }).pythonVersion).toBe('3.10');
  });

  it('booleans and numbers stay booleans and numbers where the field wants them', () => {
    const r = resolved('settings: { docker: { parent_image: "a:1", skip_build: yes, build_config: { build_options: { shmsize: 1000 } } } }\n');
    expect(r.pipeline.skip_build).toBe(true);
    expect(r.pipeline.build_config?.build_options).toEqual({ shmsize: 1000 });
  });
});

describe('relative paths resolve against the config file folder', () => {
  it('a missing path that exists relative to the current directory says so', () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'configs'));
    writeFileSync(join(cwd, 'requirements.txt'), 'numpy\n');
    writeFileSync(join(cwd, 'configs', 'run.yaml'), 'pipeline: { name: p }\nsettings: { docker: { requirements: requirements.txt } }\n');
    const p = loadProjectConfig({ configPath: 'configs/run.yaml', cwd, env: {} });
    const r = resolveProject(p, new IntegrationCatalog());
    const e = errorOf(() => checkSettingsPaths([r.pipeline], p.root, cwd));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', keyPath: 'settings.docker.requirements' });
    expect(e.message).toBe(`requirements file ${join(cwd, 'configs', 'requirements.txt')} does not exist; ${join(cwd, 'requirements.txt')} (relative to the current directory) does`);
    expect(e.hint).toBe("relative paths are resolved against the folder of the config file (ZenML used the current directory): write `../requirements.txt`, or an absolute path");
  });

  it('without such a file the message stays as it was', () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'stowage.yaml'), 'pipeline: { name: p }\nsettings: { docker: { requirements: nope.txt } }\n');
    const p = loadProjectConfig({ cwd, env: {} });
    const r = resolveProject(p, new IntegrationCatalog());
    expect(errorOf(() => checkSettingsPaths([r.pipeline], p.root, cwd)).message).toBe(`requirements file ${join(cwd, 'nope.txt')} does not exist`);
  });
});
