import 'reflect-metadata';
import { StowageError, type ProcessRunner } from '@stowage/plugin-api';
import { launchCommand, type LaunchCommand } from './execute/launchCommand.js';
import { loadGivenBuild } from './gather/loadGivenBuild.js';
import { loadProjectConfig, projectFromObject, type ProjectConfig } from './config/loadProjectConfig.js';
import { buildAndRecord, type BuildOptions, type BuildResult } from './execute/buildAndRecord.js';
import { PlanExecutor } from './execute/executePlan.js';
import { InputGatherer, type GatherOptions } from './gather/gatherInputs.js';
import type { BuildPlan } from './model/plan.js';
import { planBuild } from './plan/planBuild.js';
import { loadPlugins, type BuiltinPlugin } from './plugins/loadPlugins.js';
import type { PluginRegistry } from './plugins/PluginRegistry.js';
import type { BuildStore } from './record/BuildStore.js';
import type { PipelineBuild } from './model/PipelineBuild.js';
import { resolveProject } from './resolve/resolveProject.js';
import type { Redactor } from './settings/Redactor.js';
import type { DependencyContainer } from './stack/DependencyContainer.js';
import { createRootContainer, openStack, type OpenedStack } from './stack/openStack.js';
import { TOKENS } from './tokens.js';

export interface CreateStowageOptions {
  /** The config file (`--config`); otherwise stowage.yaml is searched from `cwd` upwards. */
  configFile?: string;
  cwd?: string;
  /** A project made in code (`projectFromDefinition(definePipeline(…))`), instead of a config file. */
  project?: ProjectConfig;
  /** Without a config file, work on an empty project (commands that only list things). */
  optionalProject?: boolean;
  /** Plugins the host ships (the CLI's built-ins, a test kit's fakes), loaded before those in `plugins:`. */
  builtins?: readonly BuiltinPlugin[];
  env?: Readonly<Record<string, string | undefined>>;
  runner?: ProcessRunner;
  /** Recorded with builds. */
  toolVersion?: string;
}

export type { BuildOptions, BuildResult };

export interface PlanOptions extends GatherOptions {
  stack?: string;
}

/**
 * The composition root (used by the CLI, the test kit and the DI-graph test): the project, its
 * plugins, the root container and one child container per stack; `plan` runs resolve → gather →
 * plan, `build` executes a plan and records it.
 */
export class Stowage {
  private readonly stacks = new Map<string, OpenedStack>();

  constructor(
    readonly project: ProjectConfig,
    readonly plugins: PluginRegistry,
    readonly container: DependencyContainer,
  ) {}

  /** The named stack (default: the active one), composed and checked on first use. */
  stack(name?: string): OpenedStack {
    const key = name ?? '';
    let opened = this.stacks.get(key);
    if (!opened) {
      opened = openStack(this.container, name);
      this.stacks.set(key, opened);
      this.stacks.set(opened.stack.name, opened);
    }
    return opened;
  }

  get redactor(): Redactor {
    return this.container.resolve(TOKENS.Redactor);
  }

  get builds(): BuildStore {
    return this.container.resolve(TOKENS.BuildStore);
  }

  async plan(options: PlanOptions = {}): Promise<BuildPlan> {
    const { container } = this.stack(options.stack);
    const resolved = resolveProject(this.project, this.plugins.integrations);
    const inputs = await container.resolve(InputGatherer).gather(resolved, options);
    return planBuild(inputs, resolved.warnings.items);
  }

  /** `docker run` for one step of a recorded build (its launch spec), with a fresh code URL. */
  async launchCommand(o: LaunchOptions): Promise<LaunchCommand> {
    const { stack, components } = this.stack(o.stack);
    const build = o.build ? (await loadGivenBuild(o.build.reference, this.builds, o.build.baseDir)).build : await this.latestBuild(stack.name);
    const store = components.artifactStore ? await components.artifactStore.get() : undefined;
    const command = await launchCommand({ build, step: o.step, args: o.args ?? [], network: o.network, env: this.project.env, store });
    for (const secret of command.secrets) this.redactor.add(secret);
    return command;
  }

  private async latestBuild(stack: string): Promise<PipelineBuild> {
    const builds = (await this.builds.list()).filter((b) => b.pipeline === this.project.pipelineName && b.stack.name === stack);
    const newest = builds.sort((a, b) => b.created.localeCompare(a.created))[0];
    if (!newest) throw new StowageError(`no build of pipeline ${this.project.pipelineName} on stack ${stack}`, { code: 'BUILD_NOT_FOUND', hint: 'run `stowage build` first, or pass --build' });
    return newest;
  }

  /** Takes exactly the plan's steps, then records the build (or returns the existing or given one). */
  async build(plan: BuildPlan, options: BuildOptions = {}): Promise<BuildResult> {
    const deps = {
      builds: this.builds,
      redactor: this.redactor,
      toolVersion: this.container.resolve(TOKENS.ToolVersion),
      openStack: () => {
        const { container, stack, components } = this.stack(plan.stack.name);
        return { executor: container.resolve(PlanExecutor), components, snapshot: stack.snapshot };
      },
    };
    return buildAndRecord(plan, deps, options);
  }
}

export interface LaunchOptions {
  step: string;
  args?: readonly string[];
  /** A build id or file (relative to `baseDir`); default: the newest build of the pipeline on the stack. */
  build?: { reference: string; baseDir: string };
  stack?: string;
  network?: string;
}

export async function createStowage(o: CreateStowageOptions = {}): Promise<Stowage> {
  const env = o.env ?? process.env;
  const project = o.project ?? loadProject(o, env);
  const plugins = await loadPlugins({ builtins: o.builtins, names: project.plugins, projectRoot: project.root, source: project.source });
  const container = createRootContainer({ project, plugins, runner: o.runner, toolVersion: o.toolVersion ?? '0.0.0' });
  return new Stowage(project, plugins, container);
}

function loadProject(o: CreateStowageOptions, env: Readonly<Record<string, string | undefined>>): ProjectConfig {
  try {
    return loadProjectConfig({ configPath: o.configFile, cwd: o.cwd, env });
  } catch (error) {
    if (!o.optionalProject || o.configFile || (error as { code?: string }).code !== 'CONFIG_NOT_FOUND') throw error;
    return projectFromObject({}, { source: {}, env, root: o.cwd ?? process.cwd() });
  }
}
