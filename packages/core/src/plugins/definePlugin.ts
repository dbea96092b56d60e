import { z } from 'zod';
import type { ProcessRunner } from '../process/ProcessRunner.js';
import {
  PLUGIN_API_VERSION,
  type ArtifactStore,
  type CodeRepository,
  type ComponentKind,
  type ContainerRegistry,
  type ImageBuilder,
  type ImageBuilderCapabilities,
  type IntegrationDefinition,
  type RequirementsExporter,
} from './contracts.js';

const PLUGIN_BRAND = Symbol.for('stowage.plugin');
const FLAVOR_BRAND = Symbol.for('stowage.flavor');

export interface ComponentByKind {
  'image-builder': ImageBuilder;
  'container-registry': ContainerRegistry;
  'artifact-store': ArtifactStore;
  'code-repository': CodeRepository;
}

/** Stack rules a flavor declares: which other components its stack needs (and of which flavors). */
export interface StackRequirements {
  imageBuilder?: boolean | readonly string[];
  containerRegistry?: boolean | readonly string[];
  artifactStore?: boolean | readonly string[];
  codeRepository?: boolean | readonly string[];
}

/** Python and apt requirements images built on a stack with this component need. */
export interface FlavorRequirements {
  pip?: readonly string[];
  apt?: readonly string[];
  /** Extra requirement files by file name (installed unless `install_deployment_requirements: false`). */
  files?: Readonly<Record<string, readonly string[]>>;
}

export interface FlavorCapabilities extends Partial<ImageBuilderCapabilities> {
  /** Artifact stores: reachable from containers on other machines (s3, gcs, …). */
  reachableFromContainers?: boolean;
}

export interface FlavorContext {
  stackName: string;
  /** `image_builder`, `container_registry`, … */
  componentKey: string;
  /** The project folder (config file folder). */
  projectRoot: string;
  runner: ProcessRunner;
  env: Readonly<Record<string, string | undefined>>;
}

export interface FlavorDefinition<K extends ComponentKind = ComponentKind, C = unknown> {
  readonly kind: K;
  readonly flavor: string;
  readonly description?: string;
  /** zod schema of the component's config keys (without `flavor`); use `.strict()`. */
  readonly config: z.ZodType<C>;
  readonly requires?: StackRequirements;
  readonly capabilities?: FlavorCapabilities;
  readonly requirements?: FlavorRequirements;
  /** Creates the component; load heavy SDKs here with `await import(…)`, never at module top. */
  create(config: C, ctx: FlavorContext): Promise<ComponentByKind[K]> | ComponentByKind[K];
}

export interface ExporterContext {
  runner: ProcessRunner;
}

export interface ExporterDefinition {
  readonly name: string;
  create(ctx: ExporterContext): RequirementsExporter;
}

export interface PluginDefinition {
  /** The npm package name. */
  readonly name: string;
  readonly apiVersion: number;
  readonly flavors: readonly FlavorDefinition<ComponentKind, any>[];
  readonly integrations?: readonly IntegrationDefinition[];
  readonly exporters?: readonly ExporterDefinition[];
}

export type StowagePlugin = PluginDefinition & { readonly [PLUGIN_BRAND]: true };
export type StowageFlavor<K extends ComponentKind = ComponentKind, C = unknown> = FlavorDefinition<K, C> & {
  readonly [FLAVOR_BRAND]: true;
};

/** Declares one flavor of a stack component kind (ZenML: Flavor → Config → Implementation). */
export function defineFlavor<K extends ComponentKind, S extends z.ZodType>(
  definition: Omit<FlavorDefinition<K, z.output<S>>, 'config'> & { config: S },
): StowageFlavor<K, z.output<S>> {
  return Object.freeze({ ...definition, [FLAVOR_BRAND]: true as const }) as StowageFlavor<K, z.output<S>>;
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

export { PLUGIN_API_VERSION };

// ---------------------------------------------------------------------------------------------
// Secret-typed config values

/** A string config value that is a credential: redacted wherever a config or stack is printed. */
export function secret(description = 'A credential (redacted when printed).') {
  return z.string().min(1).meta({ secret: true, writeOnly: true }).describe(description);
}

export function isSecretSchema(schema: z.ZodType): boolean {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    if ((z.globalRegistry.get(s) as { secret?: boolean } | undefined)?.secret) return true;
    const def: { type: string; innerType?: z.ZodType; in?: z.ZodType } = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    s = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return false;
}
