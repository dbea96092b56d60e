import type { z } from 'zod';
import type { ArtifactStore, ArtifactStoreDescription } from './contracts/ArtifactStore.js';
import type { CodeRepository, CodeRepositoryDescription } from './contracts/CodeRepository.js';
import type { ContainerRegistry, ContainerRegistryDescription } from './contracts/ContainerRegistry.js';
import type { BuildCheckFn, ImageBuilder, ImageBuilderDescription } from './contracts/ImageBuilder.js';
import type { ProcessRunner } from './contracts/ProcessRunner.js';
import type { IntegrationDefinition, RequirementsExporter } from './contracts/RequirementsExporter.js';

/** The plugin API version this package describes. A plugin writes the literal in definePlugin. */
export const PLUGIN_API_VERSION = 2 as const;

const PLUGIN_BRAND = Symbol.for('stowage.plugin');
const FLAVOR_BRAND = Symbol.for('stowage.flavor');

/** Stack component kinds, spelt once: the config key of each and its contract. */
export const COMPONENT_KINDS = ['image-builder', 'container-registry', 'artifact-store', 'code-repository'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface ComponentByKind {
  'image-builder': ImageBuilder;
  'container-registry': ContainerRegistry;
  'artifact-store': ArtifactStore;
  'code-repository': CodeRepository;
}

export interface DescriptionByKind {
  'image-builder': ImageBuilderDescription;
  'container-registry': ContainerRegistryDescription;
  'artifact-store': ArtifactStoreDescription;
  'code-repository': CodeRepositoryDescription;
}

/** Another component of the stack a flavor needs: required or optional, of any or given flavors. */
export interface DependencySpec {
  kind: ComponentKind;
  optional?: boolean;
  /** Flavors that qualify (default: any). */
  flavors?: readonly string[];
}

/** A dependency as the component receives it: created on first `get()` (its SDK loads then). */
export interface DependencyHandle<T, D = unknown> {
  /** The component's flavor. */
  readonly flavor: string;
  /** The component's `describe()` (a registry's uri, a store's root, …), known without creating it. */
  readonly description: D;
  get(): Promise<T>;
}

type DepsOf<D extends Readonly<Record<string, DependencySpec>>> = {
  [N in keyof D]: D[N]['optional'] extends true
    ? DependencyHandle<ComponentByKind[D[N]['kind']], DescriptionByKind[D[N]['kind']]> | undefined
    : DependencyHandle<ComponentByKind[D[N]['kind']], DescriptionByKind[D[N]['kind']]>;
};

/** Runtime secrets a component fetches (tokens) are registered here so no output shows them. */
export interface SecretSink {
  add(secret: string): void;
}

/** What `describe()` may use besides the config: nothing that needs I/O. */
export interface DescribeContext {
  /** The project folder (config file folder): relative config paths resolve against it. */
  projectRoot: string;
}

export interface FlavorContext {
  stackName: string;
  /** `image_builder`, `container_registry`, … */
  componentKey: string;
  /** The project folder (config file folder): relative config paths resolve against it. */
  projectRoot: string;
  runner: ProcessRunner;
  env: Readonly<Record<string, string | undefined>>;
  secrets: SecretSink;
}

/** Python and apt requirements images built on a stack with this component need. */
export interface FlavorRequirements {
  pip?: readonly string[];
  apt?: readonly string[];
  /** Extra requirement files by file name (installed unless `install_deployment_requirements: false`). */
  files?: Readonly<Record<string, readonly string[]>>;
}

export interface FlavorDefinition<
  K extends ComponentKind = ComponentKind,
  C = unknown,
  D extends Readonly<Record<string, DependencySpec>> = Readonly<Record<string, DependencySpec>>,
> {
  readonly kind: K;
  readonly flavor: string;
  readonly description?: string;
  /** zod schema of the component's config keys (without `flavor`); use `.strict()`. */
  readonly config: z.ZodType<C>;
  /** Other stack components it needs, by the name `create` receives them under. */
  readonly deps?: D;
  /** Pure: what planning and checksums need, from the config alone (no SDK, no I/O). */
  describe(config: C, ctx: DescribeContext): DescriptionByKind[K];
  /** Image builders: plan-time findings about one planned build (pure). */
  readonly check?: K extends 'image-builder' ? BuildCheckFn<C> : never;
  readonly requirements?: FlavorRequirements;
  /** Creates the component; load heavy SDKs here with `await import(…)`, never at module top. */
  create(config: C, ctx: FlavorContext, deps: DepsOf<D>): Promise<ComponentByKind[K]> | ComponentByKind[K];
}

export interface ExporterContext {
  runner: ProcessRunner;
}

/** A requirements exporter: what it handles, declared as data, so core routes without knowing names. */
export interface ExporterDefinition {
  readonly name: string;
  /** Exports a pyproject; tried in ascending priority (lower first) until one succeeds. */
  readonly pyproject?: { priority: number };
  /** `replicate_local_python_environment` methods it implements. */
  readonly environmentMethods?: readonly ('pip_freeze' | 'poetry_export')[];
  create(ctx: ExporterContext): RequirementsExporter;
}

export interface PluginDefinition {
  /** The npm package name. */
  readonly name: string;
  /** The plugin API version the author wrote the plugin for: the literal `2`. */
  readonly apiVersion: typeof PLUGIN_API_VERSION;
  /** Stack component flavors (none for a plugin that only contributes exporters or integrations). */
  readonly flavors?: readonly StowageFlavor<any, any, any>[];
  readonly integrations?: readonly IntegrationDefinition[];
  readonly exporters?: readonly ExporterDefinition[];
}

export type StowagePlugin = PluginDefinition & { readonly [PLUGIN_BRAND]: true };
export type StowageFlavor<
  K extends ComponentKind = ComponentKind,
  C = unknown,
  D extends Readonly<Record<string, DependencySpec>> = Readonly<Record<string, DependencySpec>>,
> = FlavorDefinition<K, C, D> & { readonly [FLAVOR_BRAND]: true };

/** Declares one flavor of a stack component kind (ZenML: Flavor → Config → Implementation). */
export function defineFlavor<K extends ComponentKind, S extends z.ZodType, const D extends Readonly<Record<string, DependencySpec>> = Record<never, DependencySpec>>(
  definition: Omit<FlavorDefinition<K, z.output<S>, D>, 'config'> & { config: S },
): StowageFlavor<K, z.output<S>, D> {
  return Object.freeze({ ...definition, [FLAVOR_BRAND]: true as const }) as unknown as StowageFlavor<K, z.output<S>, D>;
}

/** The default export of a plugin package. No side effects: nothing registers at import time. */
export function definePlugin(definition: PluginDefinition): StowagePlugin {
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true as const });
}

export function isPlugin(value: unknown): value is StowagePlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}

export function isFlavor(value: unknown): value is StowageFlavor {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FLAVOR_BRAND] === true;
}
