import type { ArtifactStore, CodeRepository, ComponentByKind, ComponentKind, ContainerRegistry, DependencyHandle, DependencySpec, ImageBuilder, ProcessRunner } from '@stowage/plugin-api';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { assertArtifactKey } from '../model/artifactKey.js';
import { stowageStateDir } from '../model/stateDir.js';
import { lazy, type Lazy } from '../plugins/Lazy.js';
import type { PluginRegistry } from '../plugins/PluginRegistry.js';
import { tagPluginCalls, tagPluginError, wrapMethods } from '../plugins/tagPluginErrors.js';
import { NodeProcessRunner } from '../process/ProcessRunner.js';
import { BuildStore } from '../record/BuildStore.js';
import { Redactor } from '../settings/Redactor.js';
import { TOKENS } from '../tokens.js';
import { PlanExecutor } from '../execute/executePlan.js';
import { InputGatherer } from '../gather/gatherInputs.js';
import { composeStack } from './composeStack.js';
import type { ComposedComponent, ComposedStack } from './ComposedStack.js';
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
    .registerValue(TOKENS.Redactor, new Redactor([...o.project.secrets, ...(o.project.literalSecrets ?? [])]))
    .registerValue(TOKENS.BuildStore, new BuildStore(stowageStateDir(o.project.root)))
    .registerValue(TOKENS.ToolVersion, o.toolVersion);
}

/** The stack's components, each created on first use with its declared dependencies injected. */
export interface StackComponents {
  imageBuilder: Lazy<ImageBuilder>;
  containerRegistry?: Lazy<ContainerRegistry>;
  artifactStore?: Lazy<ArtifactStore>;
  /** The project's registered code repositories, each created on first use. */
  codeRepositories: readonly { name: string; flavor: string; handle: Lazy<CodeRepository> }[];
}

export interface OpenedStack {
  stack: ComposedStack;
  container: DependencyContainer;
  components: StackComponents;
}

/**
 * Composes a stack (all config and rule checks happen here, before any work) and gives it its
 * own child container. Components are created lazily, on first use, so commands that do not
 * build never load a cloud SDK; every call into them is tagged with plugin, component and method.
 */
export function openStack(root: DependencyContainer, stackName: string | undefined): OpenedStack {
  const project = root.resolve(TOKENS.ProjectConfig);
  const stack = composeStack(project, root.resolve(TOKENS.PluginRegistry), stackName);
  const redactor = root.resolve(TOKENS.Redactor);
  for (const s of stack.secrets) redactor.add(s);
  const components = stackComponents(stack, { project, runner: root.resolve(TOKENS.ProcessRunner), redactor });
  const container = root
    .createChild()
    .registerValue(TOKENS.Stack, stack)
    .registerValue(TOKENS.PlanStack, stack.snapshot)
    .registerValue(TOKENS.StackComponents, components)
    .registerSingleton(InputGatherer, InputGatherer)
    .registerSingleton(PlanExecutor, PlanExecutor);
  return { stack, container, components };
}

interface CreateContext {
  project: ProjectConfig;
  runner: ProcessRunner;
  redactor: Redactor;
}

function stackComponents(stack: ComposedStack, ctx: CreateContext): StackComponents {
  const handles = new Map<ComponentKind, Lazy<unknown>>();
  const handleOf = <K extends ComponentKind>(kind: K): Lazy<ComponentByKind[K]> | undefined => {
    const c = stack.components.find((x) => x.kind === kind);
    if (!c) return undefined;
    if (!handles.has(kind)) handles.set(kind, lazy(() => createComponent(c, stack, ctx, handleOf)));
    return handles.get(kind) as Lazy<ComponentByKind[K]>;
  };
  return {
    imageBuilder: handleOf('image-builder')!,
    containerRegistry: handleOf('container-registry'),
    artifactStore: handleOf('artifact-store'),
    codeRepositories: stack.codeRepositories.map((c) => ({ name: c.name!, flavor: c.flavor.flavor, handle: lazy(() => createComponent(c, stack, ctx, handleOf) as Promise<CodeRepository>) })),
  };
}

type HandleOf = <K extends ComponentKind>(kind: K) => Lazy<ComponentByKind[K]> | undefined;

async function createComponent(c: ComposedComponent, stack: ComposedStack, ctx: CreateContext, handleOf: HandleOf): Promise<unknown> {
  const stackName = stack.name;
  const tag = { plugin: c.plugin, component: c.name ? `code_repositories.${c.name}` : `${stackName}.${c.key}`, kind: c.kind };
  const deps: Record<string, DependencyHandle<unknown> | undefined> = {};
  for (const [name, spec] of Object.entries((c.flavor.deps ?? {}) as Record<string, DependencySpec>)) {
    const handle = handleOf(spec.kind);
    const other = stack.components.find((o) => o.kind === spec.kind);
    deps[name] = handle && other ? { flavor: other.flavor.flavor, description: other.description, get: () => handle.get() } : undefined;
  }
  const flavorContext = { stackName, componentKey: c.key, projectRoot: ctx.project.root, runner: ctx.runner, env: ctx.project.env, secrets: ctx.redactor };
  let created: object;
  try {
    created = (await c.flavor.create(c.config, flavorContext, deps as never)) as object;
  } catch (error) {
    throw tagPluginError(error, tag, 'create');
  }
  const tagged = tagPluginCalls(created, tag, (method, value) => redactAuth(ctx.redactor, c.kind, method, value));
  // Outside the tagging: a bad key is core's USAGE error, not the store plugin's failure.
  return c.kind === 'artifact-store' ? checkArtifactKeys(tagged as ArtifactStore) : tagged;
}

const KEYED_METHODS = new Set(['exists', 'put', 'get', 'locate', 'presign', 'delete']);

/** Every key reaches a store validated (by core, once): a store never sees `../x` or `/etc/passwd`. */
function checkArtifactKeys(store: ArtifactStore): ArtifactStore {
  return wrapMethods(store, (property, method) => {
    if (!KEYED_METHODS.has(property) && property !== 'list') return method;
    return (key: unknown, ...rest: unknown[]) => {
      try {
        assertArtifactKey(key, property === 'list' ? 'prefix' : 'key');
      } catch (error) {
        // `locate` answers at once; the others are async: they reject rather than throw.
        if (property === 'locate') throw error;
        return Promise.reject(error);
      }
      return method.apply(store, [key, ...rest]);
    };
  });
}

/** Credentials a registry hands out are never printed, wherever they end up. */
function redactAuth(redactor: Redactor, kind: ComponentKind, method: string, value: unknown): void {
  if (kind !== 'container-registry' || method !== 'auth' || typeof value !== 'object' || value === null) return;
  const auth = value as { password?: string; token?: string };
  redactor.add(auth.password);
  redactor.add(auth.token);
}
