import type { z } from 'zod';
import { isPlainObject, settingsToSnakeCase } from '../settings/camelCase.js';
import type { PipelineSettingsOptions, StepOptions } from './definePipeline.js';

/**
 * A stack component in code: `flavor` plus the flavor's own config keys, spelt as its zod schema
 * (and stowage.yaml) spells them. Type one with its plugin's schema: `Component<typeof
 * EcrContainerRegistryConfigSchema, 'aws-ecr'>`, or through `component(schema, flavor, config)`.
 */
export type Component<S extends z.ZodType = z.ZodType<Record<string, unknown>>, F extends string = string> = { flavor: F } & z.input<S>;

/** A component of any flavor: its keys are checked by the plugin's schema when the stack is used. */
export interface AnyComponent {
  flavor: string;
  [key: string]: unknown;
}

export interface StackOptions {
  imageBuilder?: AnyComponent;
  containerRegistry?: AnyComponent;
  artifactStore?: AnyComponent;
}

export interface PipelineInfoOptions {
  /** Used in image tags. Default: the config file's folder name. */
  name?: string;
  /** Folder of the code put into images, relative to the config file. Default: `.` */
  sourceRoot?: string;
  /** Python X.Y of the default parent image `python:<X.Y>-slim`. */
  pythonVersion?: string;
  defaultParentImage?: string;
}

/** A registered code repository: `name`, `flavor` and the flavor's own keys (as in YAML). */
export interface CodeRepositoryOptions {
  name: string;
  flavor: string;
  [key: string]: unknown;
}

/**
 * The whole project config in code (`stowage.config.ts`): the same fields as stowage.yaml,
 * camelCase where the schema is Stowage's own; component configs keep their flavor's spelling.
 */
export interface StowageConfig {
  pipeline?: PipelineInfoOptions;
  settings?: PipelineSettingsOptions;
  steps?: Record<string, StepOptions>;
  /** A pipeline build to use: an id, or a path to a build YAML file. */
  build?: string;
  /** Plugin packages, loaded from the project's node_modules. */
  plugins?: string[];
  stacks?: Record<string, StackOptions>;
  codeRepositories?: CodeRepositoryOptions[];
  /** Stack used when `--stack` is not given. Default: `default`. */
  activeStack?: string;
}

const TOP_LEVEL: Readonly<Record<string, string>> = { codeRepositories: 'code_repositories', activeStack: 'active_stack' };
const STACK_KEYS: Readonly<Record<string, string>> = {
  imageBuilder: 'image_builder',
  containerRegistry: 'container_registry',
  artifactStore: 'artifact_store',
};

/**
 * The stowage.yaml-shaped object for a config written in code. Only keys Stowage defines are
 * renamed (step and stack names, `environment` keys and component keys are the user's): unknown
 * keys pass through unchanged, so the schema reports them as written, with a suggestion.
 */
export function projectObjectFromCode(config: unknown): unknown {
  if (!isPlainObject(config)) return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const snake = TOP_LEVEL[key] ?? key;
    out[snake] = convertTopLevel(snake, value);
  }
  return out;
}

function convertTopLevel(key: string, value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  if (key === 'pipeline') return toSnakeKeys(value);
  if (key === 'settings') return settingsBlock(value);
  if (key === 'steps') return mapValues(value, step);
  if (key === 'stacks') return mapValues(value, (stack) => (isPlainObject(stack) ? renameKnown(stack, STACK_KEYS) : stack));
  return value;
}

function step(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const { settings, ...rest } = value;
  // ZenML step keys (`enableCache`, …) are ignored with a warning under their snake_case name.
  return { ...toSnakeKeys(rest), ...(settings === undefined ? {} : { settings: settingsBlock(settings) }) };
}

function settingsBlock(value: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(value.docker)) return value;
  return { ...value, docker: settingsToSnakeCase(value.docker) };
}

function renameKnown(obj: Record<string, unknown>, names: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names[k] ?? k, v]));
}

/** `sourceRoot` → `source_root`, for objects whose keys are all the schema's own. */
function toSnakeKeys(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

function mapValues(obj: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v)]));
}
