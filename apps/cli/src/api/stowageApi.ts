import { dirname, join, resolve } from 'node:path';
import {
  BuildStore,
  createStowage,
  findConfigFile,
  projectFromConfig,
  projectFromDefinition,
  STOWAGE_STATE_DIR,
  StowageError,
  type BuildPlan,
  type BuildResult,
  type BuiltinPlugin,
  type EngineEvent,
  type PipelineBuild,
  type PipelineDefinition,
  type ProjectConfig,
  type Stowage,
  type StowageConfig,
} from '@stowage/core';
import { builtinPlugins, cliVersion } from '../builtinPlugins.js';
import { checkStepOptions, selectPlanSteps } from '../selectPlanSteps.js';

export interface ProjectOptions {
  /** Folder the project is in (default: the CWD); a config file is searched from here upwards. */
  cwd?: string;
  /**
   * The project: a config file path (stowage.yaml or stowage.config.ts, relative to `cwd`), a
   * config object (`defineConfig({…})`) or a pipeline (`definePipeline({…})`). Default: the
   * config file found from `cwd`.
   */
  config?: string | StowageConfig | PipelineDefinition;
  /** Stack name (default: `activeStack`, else `default`). */
  stack?: string;
  /** Where `${VAR}`s come from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Plugins in addition to the CLI's built-ins, e.g. `[{ packageName, plugin }]`. */
  plugins?: readonly BuiltinPlugin[];
}

export interface PlanApiOptions extends ProjectOptions {
  /** Only the images these steps run in (as `--step`). */
  steps?: readonly string[];
  /** Plan as if no earlier build could be reused. */
  preventBuildReuse?: boolean;
  signal?: AbortSignal;
}

export interface BuildApiOptions extends PlanApiOptions {
  /** Images built at once. */
  jobs?: number;
  /** Progress: one event per image state change and log line. */
  onEvent?: (event: EngineEvent) => void;
}

export interface ListBuildsOptions {
  cwd?: string;
  /** A config file path; the builds are in `.stowage/` beside it. Default: found from `cwd`. */
  config?: string;
  /** Only builds of this pipeline / on this stack. */
  pipeline?: string;
  stack?: string;
  /** At most this many, newest first. */
  limit?: number;
}

/** What `stowage plan` shows, in one call: every step `build` would take. Needs no engine. */
export async function plan(options: PlanApiOptions = {}): Promise<BuildPlan> {
  return (await planWith(await open(options), options)).plan;
}

/** What `stowage build` does, in one call: plan, build or reuse, push, record. */
export async function build(options: BuildApiOptions = {}): Promise<BuildResult & { plan: BuildPlan }> {
  const { stowage, plan: planned } = await planWith(await open(options), options);
  const result = await stowage.build(planned, { jobs: options.jobs, signal: options.signal, onEvent: options.onEvent });
  return { ...result, plan: planned };
}

/** The recorded pipeline builds (as `stowage builds list --json`), newest first; loads no plugin. */
export async function listBuilds(options: ListBuildsOptions = {}): Promise<PipelineBuild[]> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const file = options.config ? resolve(cwd, options.config) : findConfigFile(cwd);
  const store = new BuildStore(join(file ? dirname(file) : cwd, STOWAGE_STATE_DIR));
  const builds = (await store.list())
    .filter((b) => (options.pipeline === undefined || b.pipeline === options.pipeline) && (options.stack === undefined || b.stack.name === options.stack))
    .sort((a, b) => b.created.localeCompare(a.created));
  return options.limit === undefined ? builds : builds.slice(0, options.limit);
}

async function open(options: ProjectOptions): Promise<Stowage> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const config = options.config;
  const common = { cwd, env, builtins: [...builtinPlugins(), ...(options.plugins ?? [])], toolVersion: cliVersion() };
  if (config === undefined || typeof config === 'string') return createStowage({ ...common, configFile: config });
  return createStowage({ ...common, project: projectOf(config, cwd, env) });
}

function projectOf(config: StowageConfig | PipelineDefinition, cwd: string, env: Readonly<Record<string, string | undefined>>): ProjectConfig {
  if (typeof config !== 'object' || config === null) {
    throw new StowageError('`config` must be a file path, a defineConfig({…}) object or a definePipeline({…}) pipeline', { code: 'USAGE' });
  }
  if ('withOptions' in config && typeof config.withOptions === 'function') return projectFromDefinition(config, { cwd, env });
  return projectFromConfig(config as StowageConfig, { root: cwd, env });
}

async function planWith(stowage: Stowage, options: PlanApiOptions & ProjectOptions): Promise<{ stowage: Stowage; plan: BuildPlan }> {
  const steps = options.steps ?? [];
  checkStepOptions(steps, stowage.project.steps.map((s) => s.name), undefined);
  const full = await stowage.plan({ stack: options.stack, preventBuildReuse: options.preventBuildReuse, signal: options.signal });
  return { stowage, plan: selectPlanSteps(full, steps) };
}
