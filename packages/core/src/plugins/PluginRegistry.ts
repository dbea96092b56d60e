import {
  COMPONENT_KINDS,
  isFlavor,
  isPlugin,
  PLUGIN_API_VERSION,
  StowageError,
  type ComponentKind,
  type DependencySpec,
  type ProcessRunner,
  type StowageFlavor,
  type StowagePlugin,
} from '@stowage/plugin-api';
import { BUILTIN_INTEGRATIONS } from '../requirements/builtinIntegrations.js';
import { ExporterSet } from '../requirements/ExporterSet.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { tagPluginCalls } from './tagPluginErrors.js';

export interface LoadedPlugin {
  plugin: StowagePlugin;
  /** Package version, when known. */
  version?: string;
  /** `builtin` (ships with the CLI) or `project` (named in plugins:). */
  origin: 'builtin' | 'project';
}

export interface RegisteredFlavor {
  flavor: StowageFlavor;
  plugin: string;
}

/** Validated plugins, their flavors by kind, exporters and integrations. */
export class PluginRegistry {
  private readonly plugins: LoadedPlugin[] = [];
  private readonly flavors = new Map<string, RegisteredFlavor>();
  readonly integrations = new IntegrationCatalog();

  constructor() {
    for (const i of BUILTIN_INTEGRATIONS) this.integrations.add(i, '@stowage/core');
  }

  /** Checks the brand, apiVersion and flavors, then registers. Errors name the plugin. */
  register(candidate: unknown, meta: { packageName: string; version?: string; origin: LoadedPlugin['origin'] }): void {
    const plugin = validatePlugin(candidate, meta.packageName);
    if (this.plugins.some((p) => p.plugin.name === plugin.name)) return; // listed twice: harmless
    for (const flavor of plugin.flavors ?? []) {
      const key = `${flavor.kind}/${flavor.flavor}`;
      const existing = this.flavors.get(key);
      if (existing) {
        throw new StowageError(`${flavor.kind} flavor "${flavor.flavor}" is provided by both ${existing.plugin} and ${plugin.name}`, {
          code: 'PLUGIN_INVALID',
          plugin: plugin.name,
          hint: 'remove one of the two plugins from plugins:',
        });
      }
    }
    for (const flavor of plugin.flavors ?? []) this.flavors.set(`${flavor.kind}/${flavor.flavor}`, { flavor: flavor as StowageFlavor, plugin: plugin.name });
    for (const integration of plugin.integrations ?? []) this.integrations.add(integration, plugin.name);
    this.plugins.push({ plugin, version: meta.version, origin: meta.origin });
  }

  list(): readonly LoadedPlugin[] {
    return this.plugins;
  }

  findFlavor(kind: ComponentKind, flavor: string): RegisteredFlavor | undefined {
    return this.flavors.get(`${kind}/${flavor}`);
  }

  flavorsOf(kind: ComponentKind): RegisteredFlavor[] {
    return [...this.flavors.values()].filter((f) => f.flavor.kind === kind);
  }

  /** The exporters every plugin contributed, created, their calls tagged with plugin and exporter. */
  exporterSet(runner: ProcessRunner): ExporterSet {
    const exporters = this.plugins.flatMap(({ plugin }) =>
      (plugin.exporters ?? []).map((definition) => ({
        definition,
        plugin: plugin.name,
        exporter: tagPluginCalls(definition.create({ runner }), { plugin: plugin.name, component: `exporter ${definition.name}`, kind: 'exporter' }),
      })),
    );
    return new ExporterSet(runner, exporters);
  }
}

function validatePlugin(candidate: unknown, packageName: string): StowagePlugin {
  const fail = (message: string, hint: string): never => {
    throw new StowageError(message, { code: 'PLUGIN_INVALID', plugin: packageName, hint });
  };
  if (!isPlugin(candidate)) {
    return fail(
      `${packageName} does not export a Stowage plugin`,
      'its default export must be the result of definePlugin() from @stowage/plugin-api',
    );
  }
  if ((candidate.apiVersion as number) !== PLUGIN_API_VERSION) {
    fail(
      `${packageName} declares plugin API version ${String(candidate.apiVersion)}, but this Stowage implements version ${PLUGIN_API_VERSION}`,
      `install a version of ${packageName} written for plugin API ${PLUGIN_API_VERSION} (apiVersion: ${PLUGIN_API_VERSION}), or a Stowage that implements version ${String(candidate.apiVersion)}`,
    );
  }
  const seen = new Set<string>();
  for (const flavor of candidate.flavors ?? []) {
    if (!isFlavor(flavor)) fail(`${packageName} lists a flavor not made with defineFlavor()`, 'wrap each flavor in defineFlavor()');
    if (!(COMPONENT_KINDS as readonly string[]).includes(flavor.kind)) {
      fail(`${packageName}: flavor "${flavor.flavor}" has unknown kind "${flavor.kind}"`, `kinds are ${COMPONENT_KINDS.join(', ')}`);
    }
    if (typeof flavor.describe !== 'function' || typeof flavor.create !== 'function') {
      fail(`${packageName}: flavor "${flavor.flavor}" needs describe() and create()`, 'plugin API 2 flavors describe their config purely and create the component lazily');
    }
    for (const [name, dep] of Object.entries((flavor.deps ?? {}) as Record<string, DependencySpec>)) {
      if (!(COMPONENT_KINDS as readonly string[]).includes(dep.kind)) fail(`${packageName}: flavor "${flavor.flavor}" depends on "${name}" of unknown kind "${dep.kind}"`, `kinds are ${COMPONENT_KINDS.join(', ')}`);
    }
    const key = `${flavor.kind}/${flavor.flavor}`;
    if (seen.has(key)) fail(`${packageName} defines ${flavor.kind} flavor "${flavor.flavor}" twice`, 'give each flavor a unique name');
    seen.add(key);
  }
  return candidate;
}
