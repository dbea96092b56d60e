import { basename, dirname, relative, resolve } from 'node:path';
import type { z } from 'zod';
import type { Warning } from '@stowage/plugin-api';
import { StowageError } from '@stowage/plugin-api';
import { isPlainObject } from '../settings/camelCase.js';
import type { SettingsLevel } from '../settings/normalizeSettings.js';
import { substituteEnv } from '../settings/substituteEnv.js';
import { coerceLikePydantic } from '../settings/coerceLikePydantic.js';
import { withoutUnsetSettings } from '../settings/mergeSettings.js';
import { Redactor } from '../settings/Redactor.js';

import { PIPELINE_IMAGE_KEY } from '../model/imageKeys.js';
import { raiseIssues, type ConfigIssue, type ConfigSource, type KeyPath } from './ConfigIssue.js';
import { didYouMean } from '../settings/suggestClosest.js';
import { ProjectConfigSchema, ZENML_RUN_CONFIG_KEYS, ZENML_STEP_CONFIG_KEYS } from './ProjectConfigSchema.js';
import { readRegularFile } from '../files/readRegularFile.js';
import { systemFolderOf } from '../files/systemFolder.js';
import { parseYamlBytes } from './yamlSource.js';
import { reservedKeyIssues } from './reservedKeys.js';
import { findConfigFileIn } from './findConfigFileIn.js';
import { isCodeConfigFile, loadCodeConfig } from './loadCodeConfig.js';
import { issuesFromZod } from './zodIssues.js';

export const CONFIG_FILE_NAMES = ['stowage.yaml', 'stowage.yml'] as const;

export interface StepDefinition {
  name: string;
  command?: string | string[];
  /** Step-level settings levels, lowest precedence first (YAML, then code). */
  settings: SettingsLevel[];
}

/** A registered code repository (per project, as in ZenML): `name`, `flavor` and the flavor's config. */
export interface CodeRepositoryEntry {
  name: string;
  /** Raw config (snake_case, `${VAR}` substituted) including `name` and `flavor`. */
  config: Record<string, unknown>;
  path: KeyPath;
}

export interface StackEntry {
  name: string;
  /** Raw component configs (snake_case, `${VAR}` substituted), validated by the plugins' schemas. */
  config: Record<string, unknown>;
  path: KeyPath;
}

/** A loaded project: everything from stowage.yaml, before settings are resolved per step. */
export interface ProjectConfig {
  /** Absolute path of the config file, if there is one. */
  file?: string;
  source: ConfigSource;
  /** Folder of the config file: relative paths in settings resolve against it. */
  root: string;
  pipelineName: string;
  /** Absolute source root (the code put into images). */
  sourceRoot: string;
  pythonVersion?: string;
  defaultParentImage?: string;
  /** Pipeline-level settings levels, lowest precedence first. */
  pipelineSettings: SettingsLevel[];
  steps: StepDefinition[];
  build?: string;
  plugins: string[];
  stacks: StackEntry[];
  /** `code_repositories:`, matched against the checkout's remotes. */
  codeRepositories: CodeRepositoryEntry[];
  activeStack?: string;
  /** Values substituted from credential-looking `${VAR}`s: redacted wherever printed. */
  secrets: string[];
  /** Literal values under credential-named keys (`DB_PASSWORD: …` written out): redacted wherever printed too. */
  literalSecrets?: string[];
  warnings: Warning[];
  /** The environment `${VAR}`s were substituted from; tools the project runs see the same. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface LoadProjectOptions {
  /** `--config FILE`; otherwise stowage.yaml is searched from `cwd` upwards. */
  configPath?: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = findConfigFileIn(dir, CONFIG_FILE_NAMES);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Loads stowage.yaml (or a ZenML run config): shape checks, ZenML-only keys ignored with a warning each. */
export function loadProjectConfig(options: LoadProjectOptions = {}): ProjectConfig {
  const cwd = options.cwd ?? process.cwd();
  if (options.configPath !== undefined && !options.configPath.trim()) {
    throw new StowageError('the config file path is empty', { code: 'USAGE', hint: 'pass --config FILE with a file name, or leave --config out to use stowage.yaml' });
  }
  const file = options.configPath ? resolve(cwd, options.configPath) : findConfigFile(cwd);
  if (!file) {
    throw new StowageError(`no ${CONFIG_FILE_NAMES[0]} found in ${cwd} or its parent folders`, {
      code: 'CONFIG_NOT_FOUND',
      hint: `create ${CONFIG_FILE_NAMES[0]} or stowage.config.ts (see the README's config reference) or pass --config FILE`,
    });
  }
  const display = relative(cwd, file) || basename(file);
  // A named pipe or /dev/zero as --config would hang or grow without bound: regular files only, size-capped.
  const bytes = readRegularFile(file, { what: 'the config file', display, code: 'CONFIG_INVALID', missingCode: 'CONFIG_NOT_FOUND', hint: 'check the path given to --config' });
  if (isCodeConfigFile(file)) return projectFromObject(loadCodeConfig(file, display), { file, source: { file: display }, env: options.env ?? process.env });
  const { value, source } = parseYamlBytes(bytes, display, { schema: ProjectConfigSchema });
  return projectFromObject(value, { file, source, env: options.env ?? process.env });
}

interface FromObjectOptions {
  file?: string;
  source: ConfigSource;
  env: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths resolve against when there is no file. */
  root?: string;
}

/** Builds a ProjectConfig from an already-parsed object (YAML or code). */
export function projectFromObject(value: unknown, options: FromObjectOptions): ProjectConfig {
  const { source } = options;
  const warnings: Warning[] = [];
  const { cfg, raw, secrets, literalSecrets } = checkedProjectObject(value, source, options.env, warnings);
  const root = options.file ? dirname(options.file) : resolve(options.root ?? process.cwd());
  // Without a config file (listing commands, code-defined pipelines) the folder name is never a tag.
  if (options.file || cfg.pipeline?.name !== undefined) checkPipelineName(cfg.pipeline?.name, root, source);
  const sourceRoot = resolve(root, cfg.pipeline?.source_root ?? '.');
  const system = systemFolderOf(sourceRoot);
  if (system) raiseIssues([{ path: ['pipeline', 'source_root'], message: `the source root ${sourceRoot} is in ${system}: a system folder, not part of the project`, hint: 'point source_root at the folder of the pipeline code' }], source);
  const level = (path: KeyPath, obj: unknown): SettingsLevel[] =>
    isPlainObject(obj) ? [{ raw: obj, source, path }] : [];
  return {
    file: options.file,
    source,
    root,
    pipelineName: cfg.pipeline?.name ?? basename(root),
    sourceRoot,
    pythonVersion: cfg.pipeline?.python_version,
    defaultParentImage: cfg.pipeline?.default_parent_image,
    pipelineSettings: level(['settings', 'docker'], raw.settings?.docker),
    steps: Object.entries(cfg.steps ?? {}).map(([name, step]) => ({
      name,
      command: step.command,
      settings: level(['steps', name, 'settings', 'docker'], raw.steps?.[name]?.settings?.docker),
    })),
    build: cfg.build,
    plugins: cfg.plugins,
    stacks: stackEntriesOf(raw),
    codeRepositories: codeRepositoryEntriesOf(raw),
    activeStack: cfg.active_stack,
    secrets,
    literalSecrets,
    warnings,
    env: options.env,
  };
}

interface CheckedProjectObject {
  /** The config as the schema parsed it. */
  cfg: z.output<typeof ProjectConfigSchema>;
  /** The same config before parsing (ZenML-only keys dropped, `${VAR}` substituted). */
  raw: Record<string, any>;
  secrets: string[];
  literalSecrets: string[];
}

/** Shape checks in order: a mapping, ZenML-only keys, `${VAR}`s, the schema, reserved names. */
function checkedProjectObject(
  value: unknown,
  source: ConfigSource,
  env: Readonly<Record<string, string | undefined>>,
  warnings: Warning[],
): CheckedProjectObject {
  if (!isPlainObject(value)) raiseIssues([{ path: [], message: 'the config must be a mapping of keys' }], source);
  const issues: ConfigIssue[] = reservedKeyIssues(value);
  if (issues.length) raiseIssues(issues, source);
  const kept = dropZenmlOnlyKeys(value, source, warnings, issues);
  if (issues.length) raiseIssues(issues, source);
  const sub = substituteEnv(kept, env);
  if (sub.issues.length) raiseIssues(sub.issues, source, 'ENV_VAR_MISSING');
  const coerced = coerceLikePydantic(sub.value, ProjectConfigSchema);
  const parsed = ProjectConfigSchema.safeParse(withoutUnsetSettings(coerced));
  if (!parsed.success) {
    // Values are echoed in messages; credentials substituted a moment ago must not be.
    const redactor = new Redactor([...sub.secrets, ...sub.literalSecrets]);
    raiseIssues(issuesFromZod(parsed.error, ProjectConfigSchema, sub.value).map((i) => ({ ...i, message: redactor.redact(i.message) })), source);
  }
  if (parsed.data.steps && PIPELINE_IMAGE_KEY in parsed.data.steps) {
    raiseIssues([{ path: ['steps', PIPELINE_IMAGE_KEY], message: `the step name "${PIPELINE_IMAGE_KEY}" is reserved for the image steps share`, hint: 'rename the step' }], source);
  }
  return { cfg: parsed.data, raw: coerced as Record<string, any>, secrets: sub.secrets, literalSecrets: sub.literalSecrets };
}

/**
 * Image tags are made from the pipeline name (ZenML's `sanitize_tag` keeps [A-Za-z0-9_.-]): a name
 * with none of those would give an empty tag, refused here where the name is written.
 */
export function checkPipelineName(name: string | undefined, root: string, source: ConfigSource): void {
  if (/[A-Za-z0-9_.-]/.test(name ?? basename(root))) return;
  if (name !== undefined) {
    raiseIssues([{ path: ['pipeline', 'name'], message: `the pipeline name "${name}" has no letter or digit that an image tag can hold`, hint: 'use a name with ASCII letters or digits (image tags allow [A-Za-z0-9_.-])' }], source);
  }
  throw new StowageError(`the pipeline name defaults to the config folder's name "${basename(root)}", which has no letter or digit that an image tag can hold`, {
    code: 'CONFIG_INVALID',
    file: source.file,
    keyPath: 'pipeline.name',
    hint: 'set `pipeline: { name: … }` with ASCII letters or digits',
  });
}

function codeRepositoryEntriesOf(raw: Record<string, any>): CodeRepositoryEntry[] {
  return ((raw.code_repositories ?? []) as Record<string, unknown>[]).map((config, i) => ({ name: String(config.name), config, path: ['code_repositories', i] }));
}

function stackEntriesOf(raw: Record<string, any>): StackEntry[] {
  return Object.entries((raw.stacks ?? {}) as Record<string, Record<string, unknown>>).map(([name, config]) => ({
    name,
    config,
    path: ['stacks', name],
  }));
}

type Warn = (path: KeyPath, what: string) => void;

/** Removes keys that only ZenML uses, with one warning per key (they are never substituted). */
function dropZenmlOnlyKeys(
  config: Record<string, unknown>,
  source: ConfigSource,
  warnings: Warning[],
  issues: ConfigIssue[],
): Record<string, unknown> {
  const warn: Warn = (path, what) => {
    warnings.push({
      message: `${what} is not used by Stowage; ignored`,
      file: source.file,
      keyPath: path.join('.'),
      line: source.lineOf?.(path),
    });
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if ((ZENML_RUN_CONFIG_KEYS as readonly string[]).includes(key)) warn([key], `ZenML key \`${key}\``);
    else out[key] = value;
  }
  if (isPlainObject(out.settings)) out.settings = dropOtherSettings(out.settings, ['settings'], warn, issues);
  if (isPlainObject(out.steps)) out.steps = dropZenmlOnlyStepKeys(out.steps, warn, issues);
  return out;
}

function dropZenmlOnlyStepKeys(steps: Record<string, unknown>, warn: Warn, issues: ConfigIssue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, step] of Object.entries(steps)) {
    if (!isPlainObject(step)) {
      out[name] = step;
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(step)) {
      if ((ZENML_STEP_CONFIG_KEYS as readonly string[]).includes(key)) warn(['steps', name, key], `ZenML step key \`${key}\``);
      else kept[key] = value;
    }
    if (isPlainObject(kept.settings)) kept.settings = dropOtherSettings(kept.settings, ['steps', name, 'settings'], warn, issues);
    out[name] = kept;
  }
  return out;
}

function dropOtherSettings(
  settings: Record<string, unknown>,
  path: KeyPath,
  warn: Warn,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const typo = key !== 'docker' ? didYouMean(key, ['docker']) : undefined;
    if (key === 'docker') out[key] = value;
    else if (typo) issues.push({ path: [...path, key], message: `unknown settings key "${key}"; ${typo}` });
    else warn([...path, key], `ZenML settings key \`${key}\``);
  }
  return out;
}
