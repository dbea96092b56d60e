import type { ComponentKind, DescriptionByKind, StowageFlavor } from '@stowage/plugin-api';
import { StowageError } from '@stowage/plugin-api';
import { formatKeyPath, raiseIssues, type ConfigIssue, type KeyPath } from '../config/ConfigIssue.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { STACK_COMPONENT_KEYS, type StackComponentKey } from '../config/ProjectConfigSchema.js';
import { issuesFromZod } from '../config/zodIssues.js';
import { KIND_OF } from '../model/componentKinds.js';
import type { FieldOrigin } from '../model/origin.js';
import type { PluginRegistry } from '../plugins/PluginRegistry.js';
import { tagPluginError } from '../plugins/tagPluginErrors.js';
import { isPlainObject } from '../settings/camelCase.js';
import { suggestClosest } from '../settings/suggestClosest.js';
import { planStackOf } from './planStackOf.js';
import { redactConfig } from './redactConfig.js';
import { checkStackDeps } from './stackDeps.js';
import type { ComposedComponent, ComposedStack } from './ComposedStack.js';

/** The stack used when none is configured: local image builder + local artifact store, no registry. */
export const DEFAULT_STACK_CONFIG = { image_builder: { flavor: 'local' }, artifact_store: { flavor: 'local' } } as const;

export function selectStackName(project: ProjectConfig, requested?: string): string {
  return requested ?? project.activeStack ?? 'default';
}

/**
 * Validates and composes a stack from config: every component's flavor must be provided by a
 * loaded plugin, its config must match the flavor's schema, every declared dependency must be
 * in the stack, and each flavor describes itself (purely) — all before any work starts.
 * Components are created later, on first use (see openStack).
 */
export function composeStack(project: ProjectConfig, registry: PluginRegistry, requested?: string): ComposedStack {
  const name = selectStackName(project, requested);
  const entry = project.stacks.find((s) => s.name === name);
  if (!entry && name !== 'default') throw unknownStack(project, name, requested);
  const raw: Record<string, unknown> = entry ? { ...entry.config } : { ...DEFAULT_STACK_CONFIG };
  const path: KeyPath = entry?.path ?? ['stacks', name];
  // A stack without an image builder builds locally, as ZenML does.
  raw.image_builder ??= { flavor: 'local' };
  const originOf = (keyPath: KeyPath): FieldOrigin => ({ file: project.source.file, line: project.source.lineOf?.(keyPath), keyPath: formatKeyPath(keyPath), level: `stack ${name}` });

  const issues: ConfigIssue[] = [];
  const components: ComposedComponent[] = [];
  const common = { registry, issues, project, stackName: name, originOf };
  for (const key of STACK_COMPONENT_KEYS) {
    if (raw[key] === undefined) continue;
    if (key === 'code_repository') issues.push(movedCodeRepository([...path, key]));
    const component = key === 'code_repository' ? undefined : composeComponent({ key, value: raw[key], path: [...path, key], ...common });
    if (component) components.push(component);
  }
  const codeRepositories = composeCodeRepositories(project, common);
  if (issues.length) raiseIssues(issues, project.source, 'COMPONENT_CONFIG_INVALID');
  checkStackDeps(name, components);
  const secrets = [...components, ...codeRepositories].flatMap((c) => c.secrets);
  const defaultParent = typeof raw.default_parent_image === 'string' ? { image: raw.default_parent_image, origin: originOf([...path, 'default_parent_image']) } : undefined;
  return { name, implicit: !entry, components, codeRepositories, snapshot: planStackOf(name, components, codeRepositories, defaultParent), secrets };
}

function movedCodeRepository(path: KeyPath): ConfigIssue {
  return {
    path,
    message: 'code repositories are registered per project, not per stack',
    hint: 'move it to the top-level `code_repositories:` list and give it a `name`',
  };
}

/** `code_repositories:`: each validated by its flavor's schema like a stack component; names are unique. */
function composeCodeRepositories(project: ProjectConfig, common: Omit<ComponentInput, 'key' | 'value' | 'path'>): ComposedComponent[] {
  const out: ComposedComponent[] = [];
  for (const entry of project.codeRepositories) {
    const { name, ...value } = entry.config;
    if (out.some((c) => c.name === name)) common.issues.push({ path: [...entry.path, 'name'], message: `code repository "${String(name)}" is registered twice`, hint: 'give each code repository its own name' });
    const component = composeComponent({ key: 'code_repository', value, path: entry.path, ...common, stackName: 'code_repositories', componentName: String(name) });
    if (component) out.push({ ...component, name: String(name) });
  }
  return out;
}

function unknownStack(project: ProjectConfig, name: string, requested: string | undefined): StowageError {
  const names = project.stacks.map((s) => s.name);
  const close = suggestClosest(name, names);
  return new StowageError(`no stack named "${name}"`, {
    code: 'STACK_UNKNOWN',
    file: project.source.file,
    keyPath: requested ? undefined : 'active_stack',
    line: requested ? undefined : project.source.lineOf?.(['active_stack']),
    hint: close.length ? `did you mean "${close[0]}"?` : names.length ? `configured stacks: ${names.join(', ')}` : 'add it under stacks: in the config, or use the default stack',
  });
}

interface ComponentInput {
  key: StackComponentKey;
  /** For registered code repositories: tagged as `code_repositories.<name>`. */
  componentName?: string;
  value: unknown;
  path: KeyPath;
  registry: PluginRegistry;
  issues: ConfigIssue[];
  project: ProjectConfig;
  stackName: string;
  originOf(path: KeyPath): FieldOrigin;
}

function composeComponent(c: ComponentInput): ComposedComponent | undefined {
  const kind = KIND_OF[c.key];
  if (!isPlainObject(c.value) || typeof c.value.flavor !== 'string') {
    c.issues.push({ path: [...c.path, 'flavor'], message: `${c.key} needs a \`flavor\`` });
    return undefined;
  }
  const { flavor: flavorName, ...config } = c.value;
  const found = c.registry.findFlavor(kind, flavorName);
  if (!found) {
    c.issues.push(unknownFlavor(c, kind, flavorName));
    return undefined;
  }
  const parsed = found.flavor.config.safeParse(config);
  if (!parsed.success) {
    const hint = `config of the ${flavorName} ${kind} (plugin ${found.plugin})`;
    c.issues.push(...issuesFromZod(parsed.error, found.flavor.config, config, c.path).map((i) => ({ ...i, hint: i.hint ?? hint })));
    return undefined;
  }
  const origin = c.originOf([...c.path, 'flavor']);
  const description = describeComponent(found.flavor, parsed.data, { plugin: found.plugin, component: `${c.stackName}.${c.componentName ?? c.key}`, root: c.project.root, origin });
  const { redacted, secrets } = redactConfig(found.flavor.config, parsed.data);
  const redactedConfig = { flavor: flavorName, ...(redacted as Record<string, unknown>) };
  return { key: c.key, kind, flavor: found.flavor, plugin: found.plugin, config: parsed.data, description, origin, redactedConfig, secrets };
}

function unknownFlavor(c: ComponentInput, kind: ComponentKind, flavorName: string): ConfigIssue {
  const available = c.registry.flavorsOf(kind).map((f) => f.flavor.flavor);
  const close = suggestClosest(flavorName, available);
  return {
    path: [...c.path, 'flavor'],
    message: `no plugin provides ${kind} flavor '${flavorName}'`,
    hint: close.length
      ? `did you mean '${close[0]}'?`
      : `install @stowage/${kind}-${flavorName} (or the plugin that provides it) and add it to plugins:${available.length ? `; available: ${available.join(', ')}` : ''}`,
  };
}

interface DescribeTag {
  plugin: string;
  component: string;
  root: string;
  origin: FieldOrigin;
}

/** A flavor's pure self-description; a failure names the plugin, the component and where it is configured. */
function describeComponent(flavor: StowageFlavor, config: unknown, tag: DescribeTag): DescriptionByKind[ComponentKind] {
  try {
    return flavor.describe(config, { projectRoot: tag.root });
  } catch (error) {
    const tagged = tagPluginError(error, { plugin: tag.plugin, component: tag.component, kind: flavor.kind }, 'describe');
    throw new StowageError(tagged.message, { ...tagged, code: 'COMPONENT_CONFIG_INVALID', cause: tagged.cause, details: tagged.details, file: tag.origin.file, line: tag.origin.line, keyPath: tag.origin.keyPath });
  }
}
