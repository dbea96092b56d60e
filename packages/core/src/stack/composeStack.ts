import { raiseIssues, type ConfigIssue, type KeyPath } from '../config/ConfigIssue.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { STACK_COMPONENT_KEYS, type StackComponentKey } from '../config/ProjectConfigSchema.js';
import { issuesFromZod } from '../config/zodIssues.js';
import { StowageError } from '@stowage/plugin-api';
import type { ComponentKind } from '../plugins/contracts.js';
import type { StowageFlavor } from '../plugins/definePlugin.js';
import type { PluginRegistry } from '../plugins/PluginRegistry.js';
import { digestOf } from '../plan/checksum.js';
import type { PlanStack } from '../plan/types.js';
import { isPlainObject } from '../settings/camelCase.js';
import { suggestClosest } from '../settings/suggestClosest.js';
import { redactConfig } from './redactConfig.js';
import { checkStackRules } from './stackRules.js';

export const KIND_OF: Record<StackComponentKey, ComponentKind> = {
  image_builder: 'image-builder',
  container_registry: 'container-registry',
  artifact_store: 'artifact-store',
  code_repository: 'code-repository',
};

export interface ComposedComponent {
  key: StackComponentKey;
  kind: ComponentKind;
  flavor: StowageFlavor;
  plugin: string;
  /** Parsed config (real values: reaches only the component). */
  config: unknown;
  /** For printing: secret-typed values replaced by `***`. */
  redactedConfig: Record<string, unknown>;
  /** The secret values of its config. */
  secrets: string[];
}

export interface ComposedStack {
  name: string;
  /** True when no stack of this name is configured and the built-in default is used. */
  implicit: boolean;
  components: ComposedComponent[];
  snapshot: PlanStack;
  /** Secret values of component configs, to redact from all output. */
  secrets: string[];
}

/** The stack used when none is configured: local image builder + local artifact store, no registry. */
export const DEFAULT_STACK_CONFIG = { image_builder: { flavor: 'local' }, artifact_store: { flavor: 'local' } } as const;

export function selectStackName(project: ProjectConfig, requested?: string): string {
  return requested ?? project.activeStack ?? 'default';
}

/**
 * Validates and composes a stack from config: every component's flavor must be provided by a
 * loaded plugin, its config must match the flavor's schema, and every flavor's `requires` rules
 * must hold — all before any work starts. Components are not created here (see StackServices).
 */
export function composeStack(project: ProjectConfig, registry: PluginRegistry, requested?: string): ComposedStack {
  const name = selectStackName(project, requested);
  const entry = project.stacks.find((s) => s.name === name);
  if (!entry && name !== 'default') {
    const names = project.stacks.map((s) => s.name);
    const close = suggestClosest(name, names);
    throw new StowageError(`no stack named "${name}"`, {
      code: 'STACK_UNKNOWN',
      file: project.source.file,
      keyPath: requested ? undefined : 'active_stack',
      line: requested ? undefined : project.source.lineOf?.(['active_stack']),
      hint: close.length ? `did you mean "${close[0]}"?` : names.length ? `configured stacks: ${names.join(', ')}` : 'add it under stacks: in the config, or use the default stack',
    });
  }
  const raw: Record<string, unknown> = entry ? { ...entry.config } : { ...DEFAULT_STACK_CONFIG };
  const path: KeyPath = entry?.path ?? ['stacks', name];
  // A stack without an image builder builds locally, as ZenML does.
  raw.image_builder ??= { flavor: 'local' };

  const issues: ConfigIssue[] = [];
  const components: ComposedComponent[] = [];
  for (const key of STACK_COMPONENT_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    const component = composeComponent(key, value, [...path, key], registry, issues);
    if (component) components.push(component);
  }
  if (issues.length) raiseIssues(issues, project.source, 'COMPONENT_CONFIG_INVALID');
  checkStackRules(name, components);

  const secrets = components.flatMap((c) => c.secrets);
  const snapshot = planStackOf(name, components, typeof raw.default_parent_image === 'string' ? raw.default_parent_image : undefined);
  return { name, implicit: !entry, components, snapshot, secrets };
}

function composeComponent(
  key: StackComponentKey,
  value: unknown,
  path: KeyPath,
  registry: PluginRegistry,
  issues: ConfigIssue[],
): ComposedComponent | undefined {
  const kind = KIND_OF[key];
  if (!isPlainObject(value) || typeof value.flavor !== 'string') {
    issues.push({ path: [...path, 'flavor'], message: `${key} needs a \`flavor\`` });
    return undefined;
  }
  const { flavor: flavorName, ...config } = value;
  const found = registry.findFlavor(kind, flavorName);
  if (!found) {
    const available = registry.flavorsOf(kind).map((f) => f.flavor.flavor);
    const close = suggestClosest(flavorName, available);
    issues.push({
      path: [...path, 'flavor'],
      message: `no plugin provides ${kind} flavor '${flavorName}'`,
      hint: close.length
        ? `did you mean '${close[0]}'?`
        : `install @stowage/${kind}-${flavorName} (or the plugin that provides it) and add it to plugins:${available.length ? `; available: ${available.join(', ')}` : ''}`,
    });
    return undefined;
  }
  const parsed = found.flavor.config.safeParse(config);
  if (!parsed.success) {
    issues.push(...issuesFromZod(parsed.error, found.flavor.config, config, path).map((i) => ({ ...i, hint: i.hint ?? `config of the ${flavorName} ${kind} (plugin ${found.plugin})` })));
    return undefined;
  }
  const { redacted, secrets } = redactConfig(found.flavor.config, parsed.data);
  return {
    key,
    kind,
    flavor: found.flavor,
    plugin: found.plugin,
    config: parsed.data,
    redactedConfig: { flavor: flavorName, ...(redacted as Record<string, unknown>) },
    secrets,
  };
}

function planStackOf(name: string, components: ComposedComponent[], defaultParentImage?: string): PlanStack {
  const by = (key: StackComponentKey) => components.find((c) => c.key === key);
  const builder = by('image_builder')!;
  const registry = by('container_registry');
  const store = by('artifact_store');
  const repo = by('code_repository');
  const registryConfig = registry?.config as { uri?: string; default_repository?: string } | undefined;
  const pip = new Set<string>();
  const apt: string[] = [];
  const files: Record<string, string[]> = {};
  for (const c of components) {
    for (const r of c.flavor.requirements?.pip ?? []) pip.add(r);
    for (const p of c.flavor.requirements?.apt ?? []) if (!apt.includes(p)) apt.push(p);
    for (const [file, reqs] of Object.entries(c.flavor.requirements?.files ?? {})) files[file] = [...(files[file] ?? []), ...reqs];
  }
  const builderConfig = builder.config as { platform?: string };
  return {
    name,
    checksum: stackChecksum(components),
    imageBuilder: {
      flavor: builder.flavor.flavor,
      remote: builder.flavor.capabilities?.remote ?? false,
      platform: typeof builderConfig?.platform === 'string' ? builderConfig.platform : undefined,
    },
    containerRegistry: registry && registryConfig?.uri
      ? { flavor: registry.flavor.flavor, uri: registryConfig.uri.replace(/\/+$/, ''), defaultRepository: registryConfig.default_repository }
      : undefined,
    artifactStore: store ? { flavor: store.flavor.flavor, remote: store.flavor.capabilities?.reachableFromContainers ?? false } : undefined,
    codeRepository: repo ? { flavor: repo.flavor.flavor, name: repo.flavor.flavor } : undefined,
    requirements: [...pip].sort(),
    aptPackages: apt,
    extraRequirementFiles: files,
    defaultParentImage,
  };
}

/**
 * What identifies a stack for reuse: its flavors, the registry images live in, and the builder's
 * platform. Not the rest of the config: a teammate's socket path, a timeout or a new plugin
 * default must not throw every earlier build away (secrets are left out for the same reason).
 */
function stackChecksum(components: readonly ComposedComponent[]): string {
  return digestOf(
    components.map((c) => {
      const config = c.config as { uri?: unknown; default_repository?: unknown; platform?: unknown };
      const identity =
        c.kind === 'container-registry'
          ? { uri: config.uri, default_repository: config.default_repository }
          : c.kind === 'image-builder'
            ? { platform: config.platform }
            : {};
      return { key: c.key, flavor: c.flavor.flavor, identity };
    }),
  );
}
