import { describe, expect, it } from 'vitest';
import { normalizeSettingsLevel, type SettingsLevel } from '../settings/normalizeSettings.js';
import { resolveSettings } from './resolveSettings.js';
import { settingsToSnakeCase } from '../settings/camelCase.js';

const level = (raw: Record<string, unknown>, path: string[] = ['settings', 'docker'], file = 'stowage.yaml'): SettingsLevel => ({
  raw,
  source: { file },
  path,
});
const resolve = (...levels: SettingsLevel[]) => resolveSettings(levels.map(normalizeSettingsLevel));

describe('settings precedence (ZenML §9): later levels win field by field', () => {
  it('merges fields: pipeline requirements + step apt packages', () => {
    const r = resolve(level({ requirements: ['pandas'] }), level({ apt_packages: ['git'] }, ['steps', 'a', 'settings', 'docker']));
    expect(r.settings.requirements).toEqual(['pandas']);
    expect(r.settings.apt_packages).toEqual(['git']);
  });

  it('lists replace, not concatenate', () => {
    const r = resolve(level({ requirements: ['pandas'] }), level({ requirements: ['torch'] }));
    expect(r.settings.requirements).toEqual(['torch']);
  });

  it('dicts merge key by key (environment, build_options)', () => {
    const r = resolve(
      level({ environment: { A: '1', B: '2' }, build_config: { build_options: { buildargs: { X: '1' }, pull: true } } }),
      level({ environment: { B: '3', C: '4' }, build_config: { build_options: { buildargs: { Y: '2' } } } }),
    );
    expect(r.settings.environment).toEqual({ A: '1', B: '3', C: '4' });
    expect(r.settings.build_config?.build_options).toEqual({ buildargs: { X: '1', Y: '2' }, pull: true });
  });

  it('scalars replace; defaults only where nothing was set', () => {
    const r = resolve(level({ parent_image: 'a:1', skip_build: false }), level({ parent_image: 'b:2' }));
    expect(r.settings.parent_image).toBe('b:2');
    expect(r.settings.install_stack_requirements).toBe(true);
    expect(r.settings.python_package_installer).toBe('uv');
    expect(r.settings.disable_automatic_requirements_detection).toBe(true);
  });

  it('pipeline YAML < pipeline code < step YAML < step code', () => {
    const r = resolve(
      level({ parent_image: 'yaml-pipeline:1', user: 'a', target_repository: 'r1', image_tag: 't1' }),
      level(settingsToSnakeCase({ parentImage: 'code-pipeline:1', user: 'b', targetRepository: 'r2' }), ['settings', 'docker'], 'definePipeline()'),
      level({ parent_image: 'yaml-step:1', user: 'c' }, ['steps', 's', 'settings', 'docker']),
      level(settingsToSnakeCase({ parentImage: 'code-step:1' }), ['steps', 's', 'settings', 'docker'], 'definePipeline()'),
    );
    expect(r.settings).toMatchObject({ parent_image: 'code-step:1', user: 'c', target_repository: 'r2', image_tag: 't1' });
  });

  it('`""` at a step unsets what the pipeline set (the default applies); nulls inside user data stay', () => {
    const step = ['steps', 's', 'settings', 'docker'];
    const r = resolve(
      level({ parent_image: 'a:1', user: 'app', requirements: ['x'], build_config: { dockerignore: 'a.ignore', build_options: { pull: true } } }),
      level({ parent_image: '', user: '', requirements: '', build_config: { dockerignore: '' }, python_package_installer_args: { 'no-deps': null } }, step),
    );
    expect(r.issues).toEqual([]);
    expect(r.settings.parent_image).toBeUndefined();
    expect(r.settings.user).toBeUndefined();
    expect(r.settings.requirements).toBeUndefined();
    expect(r.settings.build_config).toEqual({ build_options: { pull: true }, builder_options: {} });
    expect(r.settings.python_package_installer_args).toEqual({ 'no-deps': null });
  });

  it('`null` at a step keeps what the pipeline set (ZenML merges steps with ignore_none)', () => {
    const step = ['steps', 's', 'settings', 'docker'];
    const r = resolve(level({ parent_image: 'a:1', build_config: { dockerignore: 'a.ignore' } }), level({ parent_image: null, build_config: { dockerignore: null } }, step));
    expect(r.settings.parent_image).toBe('a:1');
    expect(r.settings.build_config?.dockerignore).toBe('a.ignore');
  });

  it('a field unset at one level can be set again by a higher one', () => {
    const r = resolve(level({ parent_image: 'a:1' }), level({ parent_image: '' }), level({ parent_image: 'c:3' }));
    expect(r.settings.parent_image).toBe('c:3');
  });
});

describe('settings rules', () => {
  it('skip_build without parent_image is an error at the key that set it', () => {
    const r = resolve(level({ skip_build: true }, ['steps', 'x', 'settings', 'docker']));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toEqual(['steps', 'x', 'settings', 'docker', 'skip_build']);
    expect(r.issues[0]!.message).toMatch(/needs a `parent_image`/);
  });

  it('local_project_install_command without included files is an error', () => {
    const r = resolve(level({ local_project_install_command: 'pip install .', allow_including_files_in_images: false }));
    expect(r.issues[0]!.message).toMatch(/needs the code files in the image/);
  });

  it('dockerfile + parent_image is a warning (parent ignored)', () => {
    const r = resolve(level({ dockerfile: 'Dockerfile', parent_image: 'python:3.11' }));
    expect(r.issues).toEqual([]);
    expect(r.warnings[0]!.message).toMatch(/parent image is ignored/);
  });
});

describe('deprecated fields are migrated with one warning each', () => {
  it.each([
    ['source_files: download', { source_files: 'download' }, { allow_download_from_code_repository: true, allow_including_files_in_images: false, allow_download_from_artifact_store: false }],
    ['source_files: include', { source_files: 'include' }, { allow_download_from_code_repository: false, allow_including_files_in_images: true, allow_download_from_artifact_store: false }],
    ['source_files: download_or_include', { source_files: 'download_or_include' }, { allow_download_from_code_repository: true, allow_including_files_in_images: true, allow_download_from_artifact_store: false }],
    ['source_files: ignore', { source_files: 'ignore' }, { allow_download_from_code_repository: false, allow_including_files_in_images: false, allow_download_from_artifact_store: false }],
    ['source_files with an allow flag is ignored', { source_files: 'ignore', allow_including_files_in_images: true }, { allow_including_files_in_images: true, allow_download_from_code_repository: true }],
    ['build_options → parent_image_build_config.build_options', { build_options: { pull: true } }, { parent_image_build_config: { build_options: { pull: true } } }],
    ['dockerignore → build_config.dockerignore', { dockerignore: '.dockerignore.prod' }, { build_config: { build_options: {}, dockerignore: '.dockerignore.prod' } }],
    ['copy_files is unused', { copy_files: false }, {}],
    ['copy_global_config is unused', { copy_global_config: false }, {}],
    ['required_hub_plugins is unused', { required_hub_plugins: ['x'] }, {}],
    ['replicate_local_python_environment: pip_freeze (deprecated form)', { replicate_local_python_environment: 'pip_freeze' }, { replicate_local_python_environment: 'pip_freeze' }],
  ])('%s', (_name, raw, expected) => {
    const r = resolve(level(raw));
    expect(r.issues).toEqual([]);
    expect(r.settings).toMatchObject(expected);
    expect(Object.keys(r.settings)).not.toContain('source_files');
    const all = [...r.warnings, ...normalizeSettingsLevel(level(raw)).warnings];
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all[0]!.keyPath).toMatch(/^settings\.docker\./);
  });
});

describe('shape errors', () => {
  it.each([
    ['unknown key with a suggestion', { requirments: ['x'] }, 'settings.docker.requirments', /unknown key "requirments"; did you mean "requirements"\?/],
    ['wrong type', { skip_build: 'yes' }, 'settings.docker.skip_build', /expected true or false, got the string "yes"/],
    ['wrong union type', { requirements: 5 }, 'settings.docker.requirements', /expected a string or a list of strings, got number 5/],
    ['bad enum', { python_package_installer: 'conda' }, 'settings.docker.python_package_installer', /expected one of "uv", "pip" \(any case\)/],
    ['nested unknown key', { build_config: { dockerignor: 'x' } }, 'settings.docker.build_config.dockerignor', /did you mean "dockerignore"/],
    ['bad env value type', { environment: { A: ['x'] } }, 'settings.docker.environment.A', /expected a string or a number or true or false, got a list/],
  ])('%s', (_name, raw, keyPath, message) => {
    const r = normalizeSettingsLevel(level(raw));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path.join('.')).toBe(keyPath);
    expect(r.issues[0]!.message).toMatch(message);
  });
});
