import { join } from 'node:path';
import { BuildStore } from '../builds/BuildStore.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { StowageError, toStowageError } from '@stowage/plugin-api';
import type { ComponentKind } from '../plugins/contracts.js';
import type { ComponentByKind } from '../plugins/definePlugin.js';
import { lazy, type Lazy } from '../plugins/Lazy.js';
import type { PluginRegistry } from '../plugins/PluginRegistry.js';
import { Planner } from '../plan/Planner.js';
import { BuildEngine } from '../engine/BuildEngine.js';
import { NodeProcessRunner, type ProcessRunner } from '../process/ProcessRunner.js';
import { Redactor } from '../settings/Redactor.js';
import { TOKENS } from '../tokens.js';
import { composeStack, type ComposedComponent, type ComposedStack } from './composeStack.js';
import { DependencyContainer } from './DependencyContainer.js';

export interface StowageRootOptions {
  project: ProjectConfig;
  plugins: PluginRegistry;
  runner?: ProcessRunner;
  toolVersion: string;
}

/** The root container: services shared by every stack of one project. */
export function createRootContainer(o: StowageRootOptions): DependencyContainer {
  const runner = o.runner ?? new NodeProcessRunner();
  return DependencyContainer.createRoot()
    .registerValue(TOKENS.ProcessRunner, runner)
    .registerValue(TOKENS.PluginRegistry, o.plugins)
    .registerValue(TOKENS.Exporters, o.plugins.exporterSet(runner))
    .registerValue(TOKENS.Integrations, o.plugins.integrations)
    .registerValue(TOKENS.ProjectConfig, o.project)
    .registerValue(TOKENS.Redactor, new Redactor(o.project.secrets))
    .registerValue(TOKENS.BuildStore, new BuildStore(join(o.project.root, '.stowage')))
    .registerValue(TOKENS.ToolVersion, o.toolVersion);
}

export interface OpenedStack {
  stack: ComposedStack;
  container: DependencyContainer;
}

/**
 * Composes a stack (all config and rule checks happen here, before any work) and gives it its
 * own child container. Components are created lazily, on first use, so commands that do not
 * build never load a cloud SDK.
 */
export function openStack(root: DependencyContainer, stackName: string | undefined): OpenedStack {
  const project = root.resolve(TOKENS.ProjectConfig);
  const env = project.env;
  const stack = composeStack(project, root.resolve(TOKENS.PluginRegistry), stackName);
  const redactor = root.resolve(TOKENS.Redactor);
  for (const s of stack.secrets) redactor.add(s);
  const runner = root.resolve(TOKENS.ProcessRunner);
  const component = <K extends ComponentKind>(kind: K): Lazy<ComponentByKind[K] | null> => {
    const c = stack.components.find((x) => x.kind === kind);
    return lazy(() => (c ? createComponent<K>(c, stack.name, project.root, runner, env) : null));
  };
  const container = root
    .createChild()
    .registerValue(TOKENS.Stack, stack)
    .registerValue(TOKENS.PlanStack, stack.snapshot)
    .registerValue(TOKENS.ImageBuilder, component('image-builder') as Lazy<ComponentByKind['image-builder']>)
    .registerValue(TOKENS.ContainerRegistry, component('container-registry'))
    .registerValue(TOKENS.ArtifactStore, component('artifact-store'))
    .registerValue(TOKENS.CodeRepository, component('code-repository'))
    .registerSingleton(Planner, Planner)
    .registerSingleton(BuildEngine, BuildEngine);
  return { stack, container };
}

async function createComponent<K extends ComponentKind>(
  c: ComposedComponent,
  stackName: string,
  projectRoot: string,
  runner: ProcessRunner,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ComponentByKind[K]> {
  try {
    return (await c.flavor.create(c.config, { stackName, componentKey: c.key, projectRoot, runner, env })) as ComponentByKind[K];
  } catch (error) {
    const component = `${stackName}.${c.key}`;
    if (StowageError.isInstance(error)) {
      // Keep the plugin's own message and code; add which plugin and component it came from.
      throw error.plugin ? error : new StowageError(error.message, { ...error, cause: error.cause, code: error.code, plugin: c.plugin, component });
    }
    throw toStowageError(error, { code: 'STACK_INVALID', message: `could not create the ${c.flavor.flavor} ${c.kind}`, plugin: c.plugin, component });
  }
}
