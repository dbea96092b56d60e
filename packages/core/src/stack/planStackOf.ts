import type { ArtifactStoreDescription, ContainerRegistryDescription, ImageBuilderDescription } from '@stowage/plugin-api';
import type { StackComponentKey } from '../config/ProjectConfigSchema.js';
import { StowageError } from '@stowage/plugin-api';
import { aptPackage } from '../dockerfile/dockerfileValues.js';
import { digestOf } from '../model/checksum.js';
import { tagPluginError } from '../plugins/tagPluginErrors.js';
import type { FieldOrigin } from '../model/origin.js';
import type { PlanStack } from '../model/plan.js';
import type { ComposedComponent } from './ComposedStack.js';

/** The planner's view of a composed stack: each component's description, requirements and checksum. */
export function planStackOf(
  name: string,
  components: readonly ComposedComponent[],
  codeRepositories: readonly ComposedComponent[],
  defaultParent?: { image: string; origin: FieldOrigin },
): PlanStack {
  const by = (key: StackComponentKey) => components.find((c) => c.key === key);
  const builder = by('image_builder')!;
  const registry = by('container_registry');
  const store = by('artifact_store');
  const requirements = componentRequirements(components);
  // ZenML adds a code repository's requirements only to images that download code from it.
  const repositoryNeeds = componentRequirements(codeRepositories);
  const registryDescription = registry?.description as ContainerRegistryDescription | undefined;
  const check = builder.flavor.check as ((config: unknown, build: Parameters<NonNullable<PlanStack['imageBuilder']['check']>>[0]) => ReturnType<NonNullable<PlanStack['imageBuilder']['check']>>) | undefined;
  return {
    name,
    checksum: stackChecksum(components),
    imageBuilder: { flavor: builder.flavor.flavor, ...(builder.description as ImageBuilderDescription), check: check && ((build) => taggedCheck(builder, () => check(builder.config, build))) },
    containerRegistry: registry && registryDescription ? { flavor: registry.flavor.flavor, ...registryDescription, uri: registryDescription.uri.replace(/\/+$/, '') } : undefined,
    artifactStore: store ? { flavor: store.flavor.flavor, ...(store.description as ArtifactStoreDescription) } : undefined,
    codeRepositories: codeRepositories.map((c) => ({ name: c.name!, flavor: c.flavor.flavor })),
    ...requirements,
    codeRepositoryRequirements: { pip: repositoryNeeds.requirements, apt: repositoryNeeds.aptPackages },
    defaultParentImage: defaultParent?.image,
    defaultParentImageOrigin: defaultParent?.origin,
    componentOrigins: Object.fromEntries(components.map((c) => [c.key, c.origin])),
  };
}

/** A builder's plan-time `check()` is a plugin call like any other: its failure names the plugin. */
function taggedCheck<T>(builder: ComposedComponent, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw tagPluginError(error, { plugin: builder.plugin, component: builder.key, kind: builder.kind }, 'check');
  }
}

function componentRequirements(components: readonly ComposedComponent[]): Pick<PlanStack, 'requirements' | 'aptPackages' | 'extraRequirementFiles'> {
  const pip = new Set<string>();
  const apt: string[] = [];
  const files: Record<string, string[]> = {};
  for (const c of components) {
    checkFlavorRequirements(c);
    for (const r of c.flavor.requirements?.pip ?? []) pip.add(r);
    for (const p of c.flavor.requirements?.apt ?? []) if (!apt.includes(p)) apt.push(p);
    for (const [file, reqs] of Object.entries(c.flavor.requirements?.files ?? {})) files[file] = [...(files[file] ?? []), ...reqs];
  }
  return { requirements: [...pip].sort(), aptPackages: apt, extraRequirementFiles: files };
}

/**
 * What a flavor contributes to every image goes into Dockerfiles and requirement files: a value
 * that could not be written safely is the plugin's fault, reported where the component is configured.
 */
function checkFlavorRequirements(c: ComposedComponent): void {
  const r = c.flavor.requirements ?? {};
  const at = `${c.origin.keyPath} (requirements of the ${c.flavor.flavor} flavor)`;
  const fail = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    throw new StowageError(message, {
      code: 'PLUGIN_INVALID',
      plugin: c.plugin,
      file: c.origin.file,
      line: c.origin.line,
      keyPath: c.origin.keyPath,
      hint: `the ${c.plugin} plugin contributes this requirement: upgrade or report it to its authors, or remove the ${c.key} from the stack`,
    });
  };
  try {
    (r.apt ?? []).forEach((p, i) => aptPackage(`${at} apt[${i}]`, p));
    const lines = [...(r.pip ?? []), ...Object.values(r.files ?? {}).flat()];
    for (const line of lines) if (!line.trim() || /[\r\n\0]/.test(line)) throw new Error(`requirement ${JSON.stringify(line)} is not one requirement line (${at})`);
    for (const name of Object.keys(r.files ?? {})) if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`requirement file name ${JSON.stringify(name)} is not a plain file name (${at})`);
  } catch (error) {
    fail(error);
  }
}

/**
 * What identifies a stack for reuse: its flavors and what each component's description names
 * as its identity (a registry's uri by default, a builder's platform). Not the rest of the config:
 * a teammate's socket path or a timeout must not throw every earlier build away.
 */
function stackChecksum(components: readonly ComposedComponent[]): string {
  return digestOf(components.map((c) => ({ key: c.key, flavor: c.flavor.flavor, identity: identityOf(c) })));
}

function identityOf(c: ComposedComponent): unknown {
  if (c.description.identity) return c.description.identity;
  if (c.kind === 'container-registry') {
    const d = c.description as ContainerRegistryDescription;
    return { uri: d.uri, default_repository: d.defaultRepository };
  }
  if (c.kind === 'image-builder') return { platform: (c.description as ImageBuilderDescription).platform };
  return {};
}
