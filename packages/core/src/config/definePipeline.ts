import { resolve } from 'node:path';
import { type DockerSettingsOptions, settingsToSnakeCase } from '../settings/camelCase.js';
import { deepMerge } from '../settings/mergeSettings.js';
import { substituteEnv } from '../settings/substituteEnv.js';
import { raiseIssues, type ConfigSource } from './ConfigIssue.js';
import { checkPipelineName, loadProjectConfig, projectFromObject, type ProjectConfig } from './loadProjectConfig.js';
import { reservedKeyIssues } from './reservedKeys.js';

export interface PipelineSettingsOptions {
  docker?: DockerSettingsOptions;
}

export interface StepOptions {
  command?: string | string[];
  settings?: PipelineSettingsOptions;
}

export interface PipelineOptions {
  name: string;
  /** Folder relative paths resolve against when no config file is used (default: the CWD). */
  root?: string;
  pythonVersion?: string;
  settings?: PipelineSettingsOptions;
  steps?: Record<string, StepOptions>;
}

export interface WithOptions {
  settings?: PipelineSettingsOptions;
  steps?: Record<string, StepOptions>;
  /** A stowage.yaml / ZenML run config whose values the code values override. */
  configPath?: string;
}

/** A pipeline defined in code, the counterpart of ZenML's `@pipeline(settings=…)`. */
export interface PipelineDefinition {
  readonly name: string;
  readonly options: Readonly<PipelineOptions>;
  readonly configPath?: string;
  /** Like ZenML's `with_options`: returns a copy with settings deep-merged over the current ones. */
  withOptions(options: WithOptions): PipelineDefinition;
}

const CODE_SOURCE: ConfigSource = { file: 'definePipeline()' };

export function definePipeline(options: PipelineOptions, configPath?: string): PipelineDefinition {
  return {
    name: options.name,
    options,
    configPath,
    withOptions(update) {
      const merged = deepMerge(options as unknown as Record<string, unknown>, {
        settings: update.settings,
        steps: update.steps,
      }) as unknown as PipelineOptions;
      return definePipeline(merged, update.configPath ?? configPath);
    },
  };
}

export interface LoadPipelineOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The project for a code-defined pipeline: its config file (if any) with the code's values on
 * top — code over YAML, as ZenML applies in-code run args over the file.
 */
export function projectFromDefinition(definition: PipelineDefinition, options: LoadPipelineOptions = {}): ProjectConfig {
  const env = options.env ?? process.env;
  const base = definition.configPath
    ? loadProjectConfig({ configPath: definition.configPath, cwd: options.cwd, env })
    : projectFromObject({}, { source: CODE_SOURCE, env, root: resolve(options.cwd ?? process.cwd(), definition.options.root ?? '.') });
  const { options: o } = definition;
  checkPipelineName(o.name, base.root, CODE_SOURCE);
  const code = toSnake(o, env);
  const steps = [...base.steps];
  for (const [name, step] of Object.entries(code.steps)) {
    const existing = steps.find((s) => s.name === name);
    const level = step.docker ? [{ raw: step.docker, source: CODE_SOURCE, path: ['steps', name, 'settings', 'docker'] }] : [];
    if (existing) {
      existing.settings = [...existing.settings, ...level];
      if (step.command !== undefined) existing.command = step.command;
    } else steps.push({ name, command: step.command, settings: level });
  }
  return {
    ...base,
    pipelineName: o.name,
    pythonVersion: o.pythonVersion ?? base.pythonVersion,
    pipelineSettings: code.docker
      ? [...base.pipelineSettings, { raw: code.docker, source: CODE_SOURCE, path: ['settings', 'docker'] }]
      : base.pipelineSettings,
    steps,
    secrets: [...base.secrets, ...code.secrets],
    literalSecrets: [...(base.literalSecrets ?? []), ...code.literalSecrets],
  };
}

interface SnakeOptions {
  docker?: Record<string, unknown>;
  steps: Record<string, { command?: string | string[]; docker?: Record<string, unknown> }>;
  secrets: string[];
  literalSecrets: string[];
}

function toSnake(o: PipelineOptions, env: Readonly<Record<string, string | undefined>>): SnakeOptions {
  const reserved = reservedKeyIssues({ settings: o.settings, steps: o.steps });
  if (reserved.length) raiseIssues(reserved, CODE_SOURCE);
  const convert = (s: DockerSettingsOptions | undefined) =>
    s ? settingsToSnakeCase(s as Record<string, unknown>) : undefined;
  const raw = {
    docker: convert(o.settings?.docker),
    steps: Object.fromEntries(
      Object.entries(o.steps ?? {}).map(([name, step]) => [name, { command: step.command, docker: convert(step.settings?.docker) }]),
    ),
  };
  const sub = substituteEnv(raw, env);
  if (sub.issues.length) raiseIssues(sub.issues, CODE_SOURCE, 'ENV_VAR_MISSING');
  return { ...sub.value, secrets: sub.secrets, literalSecrets: sub.literalSecrets };
}
