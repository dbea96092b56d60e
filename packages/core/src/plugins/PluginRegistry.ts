import { StowageError } from '@stowage/plugin-api';
import type { ProcessRunner } from '../process/ProcessRunner.js';
import { BUILTIN_INTEGRATIONS } from '../requirements/builtinIntegrations.js';
import { ExporterSet } from '../requirements/ExporterSet.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { COMPONENT_KINDS, PLUGIN_API_VERSION, type ComponentKind } from './contracts.js';
import { isFlavor, isPlugin, type StowageFlavor, type StowagePlugin } from './definePlugin.js';

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
    for (const flavor of plugin.flavors) {
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
    for (const flavor of plugin.flavors) this.flavors.set(`${flavor.kind}/${flavor.flavor}`, { flavor: flavor as StowageFlavor, plugin: plugin.name });
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

  exporterSet(runner: ProcessRunner): ExporterSet {
    const exporters = this.plugins.flatMap((p) => (p.plugin.exporters ?? []).map((e) => e.create({ runner })));
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
      'its default export must be the result of definePlugin() from @stowage/core',
    );
  }
  if (candidate.apiVersion !== PLUGIN_API_VERSION) {
    fail(
      `${packageName} targets plugin API version ${String(candidate.apiVersion)}, but this Stowage supports version ${PLUGIN_API_VERSION}`,
      `install a version of ${packageName} built for @stowage/core with plugin API ${PLUGIN_API_VERSION}`,
    );
  }
  const seen = new Set<string>();
  for (const flavor of candidate.flavors ?? []) {
    if (!isFlavor(flavor)) fail(`${packageName} lists a flavor not made with defineFlavor()`, 'wrap each flavor in defineFlavor()');
    if (!(COMPONENT_KINDS as readonly string[]).includes(flavor.kind)) {
      fail(`${packageName}: flavor "${flavor.flavor}" has unknown kind "${flavor.kind}"`, `kinds are ${COMPONENT_KINDS.join(', ')}`);
    }
    const key = `${flavor.kind}/${flavor.flavor}`;
    if (seen.has(key)) fail(`${packageName} defines ${flavor.kind} flavor "${flavor.flavor}" twice`, 'give each flavor a unique name');
    seen.add(key);
  }
  return candidate;
}
