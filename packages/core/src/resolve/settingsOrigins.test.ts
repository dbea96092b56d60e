import { describe, expect, it } from 'vitest';
import { formatKeyPath, type ConfigSource, type KeyPath } from '../config/ConfigIssue.js';
import type { FieldOrigin } from '../model/origin.js';
import { normalizeSettingsLevel, type NormalizedLevel } from '../settings/normalizeSettings.js';
import { settingsOrigins } from './settingsOrigins.js';

/** A source whose line lookup knows the key paths listed (formatted) and, like the YAML source, falls back to the nearest listed ancestor. */
function source(file: string, lines: Record<string, number>): ConfigSource {
  const lineOf = (path: KeyPath): number | undefined => (path.length ? (lines[formatKeyPath(path)] ?? lineOf(path.slice(0, -1))) : undefined);
  return { file, lineOf };
}

const PIPELINE_PATH = ['settings', 'docker'];
const TRAIN_PATH = ['steps', 'train', 'settings', 'docker'];

/** stowage.yaml as a YAML parse would see it: pipeline settings from line 2, step train from line 20. */
const YAML = source('stowage.yaml', {
  'settings.docker': 2,
  'settings.docker.requirements': 3,
  'settings.docker.environment': 4,
  'settings.docker.environment.A': 5,
  'settings.docker.build_config': 6,
  'settings.docker.build_config.dockerignore': 7,
  'steps.train.settings.docker': 20,
  'steps.train.settings.docker.requirements': 21,
  'steps.train.settings.docker.environment': 22,
  'steps.train.settings.docker.environment.B': 23,
  'steps.train.settings.docker.build_config': 24,
  'steps.train.settings.docker.build_config.build_options': 25,
  'steps.train.settings.docker.build_config.build_options.pull': 26,
});

const pipelineLevel = (raw: Record<string, unknown>, from: ConfigSource = YAML): NormalizedLevel =>
  normalizeSettingsLevel({ raw, source: from, path: PIPELINE_PATH });
const trainLevel = (raw: Record<string, unknown>, from: ConfigSource = YAML): NormalizedLevel =>
  normalizeSettingsLevel({ raw, source: from, path: TRAIN_PATH });

const PIPELINE = pipelineLevel({
  requirements: ['pandas'],
  environment: { A: '1' },
  build_config: { dockerignore: '.dockerignore.train' },
});
const TRAIN = trainLevel({
  requirements: ['torch'],
  environment: { B: '2' },
  build_config: { build_options: { pull: true } },
});

describe('settingsOrigins: the level that set a field, with its file, line and key path', () => {
  it.each<[string, NormalizedLevel[], [string, ...(string | number)[]], FieldOrigin]>([
    [
      'set at pipeline level, overridden at step level → the step',
      [PIPELINE, TRAIN],
      ['requirements'],
      { file: 'stowage.yaml', line: 21, keyPath: 'steps.train.settings.docker.requirements', level: 'step train' },
    ],
    [
      'set only at pipeline level → the pipeline, also for a step',
      [PIPELINE, trainLevel({ apt_packages: ['git'] })],
      ['requirements'],
      { file: 'stowage.yaml', line: 3, keyPath: 'settings.docker.requirements', level: 'pipeline' },
    ],
    [
      'a nested key set only at pipeline level (build_config.dockerignore) → the pipeline, though the step sets build_config',
      [PIPELINE, TRAIN],
      ['build_config', 'dockerignore'],
      { file: 'stowage.yaml', line: 7, keyPath: 'settings.docker.build_config.dockerignore', level: 'pipeline' },
    ],
    [
      'a nested key set at step level → the step',
      [PIPELINE, TRAIN],
      ['build_config', 'build_options', 'pull'],
      { file: 'stowage.yaml', line: 26, keyPath: 'steps.train.settings.docker.build_config.build_options.pull', level: 'step train' },
    ],
    [
      'a mapping merged key by key: each key points where it was written',
      [PIPELINE, TRAIN],
      ['environment', 'A'],
      { file: 'stowage.yaml', line: 5, keyPath: 'settings.docker.environment.A', level: 'pipeline' },
    ],
    [
      'the mapping itself → the highest level that wrote it',
      [PIPELINE, TRAIN],
      ['environment'],
      { file: 'stowage.yaml', line: 22, keyPath: 'steps.train.settings.docker.environment', level: 'step train' },
    ],
    [
      'a nested key nobody set → the nearest mapping that was set',
      [PIPELINE, TRAIN],
      ['build_config', 'build_options', 'platform'],
      { file: 'stowage.yaml', line: 25, keyPath: 'steps.train.settings.docker.build_config.build_options.platform', level: 'step train' },
    ],
    [
      'a default → where it would be written in the deepest level, at that mapping’s line',
      [PIPELINE, TRAIN],
      ['parent_image'],
      { file: 'stowage.yaml', line: 20, keyPath: 'steps.train.settings.docker.parent_image', level: 'default' },
    ],
    [
      'a default for the pipeline alone → under settings.docker',
      [PIPELINE],
      ['parent_image'],
      { file: 'stowage.yaml', line: 2, keyPath: 'settings.docker.parent_image', level: 'default' },
    ],
    [
      'an empty value at step level unsets the pipeline value: the default applies, at the step',
      [PIPELINE, trainLevel({ requirements: '' })],
      ['requirements'],
      { file: 'stowage.yaml', line: 20, keyPath: 'steps.train.settings.docker.requirements', level: 'default' },
    ],
  ])('%s', (_name, levels, [field, ...sub], expected) => {
    expect(settingsOrigins(levels, 'train').of(field, ...sub)).toEqual(expected);
  });

  it('code (definePipeline) over YAML at the same level: the code level, which has no lines', () => {
    const code = trainLevel({ requirements: ['jax'] }, { file: 'definePipeline()' });
    const origin = settingsOrigins([PIPELINE, TRAIN, code], 'train').of('requirements');
    expect(origin).toEqual({ file: 'definePipeline()', line: undefined, keyPath: 'steps.train.settings.docker.requirements', level: 'step train' });
  });

  it('without any level: the default key path of the step, no file', () => {
    expect(settingsOrigins([], 'train').of('user')).toEqual({ keyPath: 'steps.train.settings.docker.user', level: 'default', line: undefined });
    expect(settingsOrigins([], undefined).of('user')).toEqual({ keyPath: 'settings.docker.user', level: 'default', line: undefined });
  });

  it('step names that need quoting are quoted in the key path', () => {
    const level = normalizeSettingsLevel({ raw: { user: 'app' }, source: { file: 'stowage.yaml' }, path: ['steps', 'train model', 'settings', 'docker'] });
    expect(settingsOrigins([level], 'train model').of('user')).toMatchObject({ keyPath: 'steps["train model"].settings.docker.user', level: 'step train model' });
  });
});

describe('settingsOrigins: migrated deprecated keys point where they were written', () => {
  const yaml = source('stowage.yaml', { 'settings.docker': 2, 'settings.docker.dockerignore': 4, 'settings.docker.build_options': 5, 'settings.docker.source_files': 6 });
  const level = pipelineLevel({ dockerignore: '.dockerignore.old', build_options: { pull: true }, source_files: 'download' }, yaml);
  const origins = settingsOrigins([level], undefined);
  it.each<[string, (string | number)[], string, number]>([
    ['build_config', ['dockerignore'], 'settings.docker.dockerignore', 4],
    ['parent_image_build_config', ['build_options', 'pull'], 'settings.docker.build_options.pull', 5],
    ['allow_download_from_code_repository', [], 'settings.docker.source_files', 6],
  ])('%s %j → %s (line %i)', (field, sub, keyPath, line) => {
    expect(origins.of(field, ...sub)).toMatchObject({ file: 'stowage.yaml', keyPath, line, level: 'pipeline' });
  });
});
