import { StowageError, type BuildOptions } from '@stowage/plugin-api';
import { BOOTSTRAP_FILE_NAME, STOWAGE_BOOTSTRAP_PY } from '../bootstrap/stowageBootstrap.js';
import { CODE_CONTEXT_DIR, generateDockerfile } from '../dockerfile/DockerfileGenerator.js';
import { imageReference } from '../dockerfile/dockerfileValues.js';
import { digestOf } from '../model/checksum.js';
import type { BuildRole, ChecksumInputs, CodeStrategy, ContextSpec, GatheredInputs, PlanInputs, PlannedImage } from '../model/plan.js';
import type { ResolvedStep } from '../model/resolved.js';
import { resolveSettingsPath } from '../resolve/resolveProject.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { atOrigin } from '../model/atOrigin.js';
import { locationOf } from '../model/origin.js';
import { decideCodeStrategy } from './codeStrategy.js';
import { assertValidTag, imageName, type NamingInputs } from './imageNaming.js';
import { notPipelineCode, stowageStateDir } from '../model/stateDir.js';

export interface ImageGroup {
  key: string;
  /** Step name used in the tag (absent for the shared pipeline image). */
  tagStep?: string;
  steps: string[];
  resolved: ResolvedStep;
  gathered: GatheredInputs;
}

/** One Docker build of an image, before it becomes typed plan steps. */
export interface BuildDraft {
  role: BuildRole;
  imageName: string;
  dockerfile: string;
  context: ContextSpec;
  options: BuildOptions;
  builderOptions: Record<string, unknown>;
  platform?: string;
  /** Goes to the stack registry (the final image, or an intermediate a remote builder needs). */
  push: boolean;
  /** ZenML's pull rule for the parent: pull it when it came from a registry (not part of the checksum). */
  pull?: boolean;
  checksum: string;
  checksumInputs: ChecksumInputs;
}

/** What the append-layer step of an image whose code is appended needs from planning. */
export interface AppendDraft {
  /** The source root as the full build's COPY would ship it (no prefix, no generated files). */
  context: ContextSpec;
  /** The project's `.stowage` folder (stat and layer caches). */
  cacheDir: string;
}

export type ImageDraft = Omit<PlannedImage, 'buildSteps'> & { builds: BuildDraft[]; resolved: ResolvedStep; append?: AppendDraft };

/** Tag suffix of dependency images (`<pipeline>-<step>-<checksum>-deps`). */
export const DEPENDENCIES_SUFFIX = 'deps';

/** Settings fields that shape the image built from a user Dockerfile. */
const DOCKERFILE_FIELDS = ['dockerfile', 'build_context_root', 'parent_image_build_config'] as const;

function settingsDigests(settings: ResolvedDockerSettings, only?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (k === 'prevent_build_reuse' || (only && !only.includes(k))) continue;
    out[k] = digestOf(v ?? null);
  }
  return out;
}

export function defaultParentImage(inputs: PlanInputs): string {
  return inputs.stack.defaultParentImage ?? inputs.defaultParentImage ?? `python:${inputs.pythonVersion}-slim`;
}

/** Why a generated image is needed at all; empty means the parent image can be used as-is. */
export function buildTriggers(
  s: ResolvedDockerSettings,
  requirementFiles: readonly unknown[],
  aptPackages: readonly string[],
  code: 'include' | 'download' | 'none',
): string[] {
  const t: string[] = [];
  if (requirementFiles.length) t.push('Python requirements');
  if (aptPackages.length) t.push('apt packages');
  if (Object.keys(s.environment).length) t.push('environment');
  if (Object.keys(s.runtime_environment).length) t.push('runtime_environment');
  if (code === 'include') t.push('code included');
  if (code === 'download') t.push('code download bootstrap');
  if (s.local_project_install_command) t.push('local_project_install_command');
  // Departure: ZenML ignores `user` unless something else triggers a build.
  if (s.user) t.push('user');
  return t;
}

/** Plans one image (pure): action, builds, names and checksums. Reuse is decided by the caller. */
export function planImage(inputs: PlanInputs, group: ImageGroup): ImageDraft {
  const s = group.resolved.settings;
  const parent = parentImageOf(inputs, group.resolved);
  if (s.image_tag) atOrigin(group.resolved.origins.of('image_tag'), () => assertValidTag(s.image_tag!, 'image_tag'));
  const base = { key: group.key, steps: group.steps, settings: s, resolved: group.resolved, parentImage: parent, why: [] as string[] };
  const code = codeOf(inputs, group.resolved);
  if (s.skip_build) {
    // Nothing is built, so nothing is included; the code can still be downloaded at run time.
    const skipCode: KnownCode = code.strategy === 'include' || code.strategy === 'none' ? { strategy: 'none', reason: 'skip_build: the image must already hold the code at /app' } : code;
    return { ...base, ...parentOnly(parent, s), action: 'skip-build', code: skipCode, builds: [], requirementFiles: [], aptPackages: [] };
  }
  const repositoryApt = code.strategy === 'code-repository' ? (inputs.stack.codeRepositoryRequirements?.apt ?? []) : [];
  const stackApt = s.install_stack_requirements ? [...inputs.stack.aptPackages, ...repositoryApt] : [];
  const aptPackages = [...s.apt_packages, ...stackApt, ...group.gathered.integrationAptPackages];
  const codeMode = code.strategy === 'include' ? 'include' : code.strategy === 'none' ? 'none' : 'download';
  const triggers = buildTriggers(s, group.gathered.requirementFiles, aptPackages, codeMode);
  const builds: BuildDraft[] = [];
  if (s.dockerfile) builds.push(dockerfileBuild(inputs, group, triggers.length > 0));
  const generated: GeneratedInputs = { from: builds[0]?.imageName ?? parent, pull: pullsParent(s, builds[0]), code, aptPackages };
  const full = triggers.length ? generatedBuild(inputs, group, generated) : undefined;
  const delivery = code.strategy === 'include' ? codeDelivery(inputs, s) : undefined;
  let append: Pick<ImageDraft, 'dependencies' | 'append'> = {};
  if (full && delivery?.mode === 'append-layer') {
    // The image is its dependency image (everything but the code, content-addressed without it)
    // plus code layers appended in the registry: its name and checksum stay the full build's.
    const deps = generatedBuild(inputs, group, { ...generated, dependenciesOnly: true });
    builds.push(deps);
    const { prefix: _inContext, ...source } = full.context;
    const context: ContextSpec = { ...source, extraFiles: [] };
    append = { dependencies: { imageName: deps.imageName, checksum: deps.checksum, checksumInputs: deps.checksumInputs }, append: { context, cacheDir: stowageStateDir(inputs.projectRoot) } };
  } else if (full) builds.push(full);
  const common = { ...base, code, builds, requirementFiles: group.gathered.requirementFiles, aptPackages, ...(delivery && { codeDelivery: delivery }), ...append };
  const last = full ?? builds.at(-1);
  if (!last) return { ...common, ...parentOnly(parent, s), action: 'use-parent', why: ['nothing to add to the parent image'] };
  // With a Dockerfile: the image built from it (two images), or that Dockerfile's own base.
  const parentImage = !s.dockerfile ? parent : builds.length > 1 ? builds[0]!.imageName : dockerfileBase(builds[0]!.dockerfile);
  return { ...common, action: 'build', parentImage, imageName: last.imageName, checksum: last.checksum, checksumInputs: last.checksumInputs };
}

/**
 * How included code reaches the image: appended as layers in the registry (no Docker build for a
 * code change), or, where that cannot give the same image, copied by the Docker build.
 */
function codeDelivery(inputs: PlanInputs, s: ResolvedDockerSettings): NonNullable<PlannedImage['codeDelivery']> {
  const registry = inputs.stack.containerRegistry;
  if (!registry || inputs.stack.imageBuilder.capabilities.push === 'none') {
    return { mode: 'docker-build', reason: 'copied by the Docker build: there is no container registry to append code layers in' };
  }
  if (registry.appendsLayers === false) {
    return { mode: 'docker-build', reason: `copied by the Docker build: the ${registry.flavor} registry does not take appended layers` };
  }
  if (s.local_project_install_command) {
    return { mode: 'docker-build', reason: 'copied by the Docker build: local_project_install_command runs on the code' };
  }
  return { mode: 'append-layer', reason: `appended as code layers in ${registry.uri} (a code change runs no Docker build)` };
}

type KnownCode = { strategy: CodeStrategy; reason: string };

const DOWNLOAD_FLAGS = ['allow_download_from_code_repository', 'allow_download_from_artifact_store'] as const;

/** The image's code strategy; when only downloads are allowed and none is possible, an error at the flag. */
function codeOf(inputs: PlanInputs, resolved: ResolvedStep): KnownCode {
  const code = decideCodeStrategy(resolved.settings, inputs.codeCheckout, inputs.stack);
  if (code.strategy !== 'unavailable') return code as KnownCode;
  const s = resolved.settings;
  const allowed = DOWNLOAD_FLAGS.filter((f) => s[f]);
  const flag = allowed[0]!;
  const who = resolved.name === 'pipeline' ? 'the pipeline' : `step ${resolved.name}`;
  // ZenML raises here too (code_download_possible): the step would otherwise run without its code.
  const message = `${who}: only downloading the code is allowed (${allowed.join(', ')}; allow_including_files_in_images is false), but no download is possible: ${code.reason}`;
  throw new StowageError(message, {
    code: 'CODE_UNAVAILABLE',
    ...locationOf(resolved.origins.of(flag)),
    hint: 'commit and push the code (a clean checkout of a registered code repository), use an artifact store containers can reach, or set allow_including_files_in_images: true',
  });
}

function parentImageOf(inputs: PlanInputs, resolved: ResolvedStep): string {
  const explicit = resolved.settings.parent_image;
  const parent = explicit ?? defaultParentImage(inputs);
  const origin = explicit || !inputs.stack.defaultParentImage ? resolved.origins.of('parent_image') : inputs.stack.defaultParentImageOrigin;
  return atOrigin(origin, () => imageReference('parent_image', parent));
}

function parentOnly(parent: string, s: ResolvedDockerSettings): Pick<PlannedImage, 'imageName' | 'checksum' | 'checksumInputs'> {
  const checksumInputs: ChecksumInputs = { settings: settingsDigests(s), dockerfile: '', requirements: {}, parentImage: parent, builder: 'none', buildOptions: '' };
  return { imageName: parent, checksum: digestOf(checksumInputs), checksumInputs };
}

function naming(inputs: PlanInputs, group: ImageGroup): Omit<NamingInputs, 'checksum'> {
  const s = group.resolved.settings;
  return { pipelineName: inputs.pipelineName, stepName: group.tagStep, targetRepository: s.target_repository, registry: inputs.stack.containerRegistry };
}

function builderOptionsOf(inputs: PlanInputs, s: ResolvedDockerSettings, config: 'build_config' | 'parent_image_build_config'): Record<string, unknown> {
  return { ...(s[config]?.builder_options?.[inputs.stack.imageBuilder.flavor] ?? {}) };
}

function optionsDigest(options: BuildOptions, builderOptions: Record<string, unknown>): string {
  return Object.keys(builderOptions).length ? digestOf({ options, builderOptions }) : digestOf(options);
}

function dockerfileBuild(inputs: PlanInputs, group: ImageGroup, intermediate: boolean): BuildDraft {
  const { stack } = inputs;
  const s = group.resolved.settings;
  const options = group.resolved.buildOptions.dockerfile;
  const builderOptions = builderOptionsOf(inputs, s, 'parent_image_build_config');
  const dockerfile = group.gathered.userDockerfile?.content ?? '';
  const platform = options.platform ?? stack.imageBuilder.platform;
  const checksumInputs: ChecksumInputs = {
    settings: settingsDigests(s, DOCKERFILE_FIELDS),
    dockerfile: digestOf(dockerfile),
    requirements: {},
    context: group.gathered.dockerfileContextDigest,
    parentImage: 'dockerfile',
    builder: stack.imageBuilder.flavor,
    platform,
    buildOptions: optionsDigest(options, builderOptions),
  };
  const checksum = digestOf(checksumInputs);
  // The intermediate image only travels through the registry when a remote builder needs it.
  const push = intermediate ? stack.imageBuilder.remote && !!stack.containerRegistry : !!stack.containerRegistry;
  const name = imageName({
    ...naming(inputs, group),
    checksum,
    imageTag: intermediate ? undefined : s.image_tag,
    suffix: intermediate ? 'intermediate' : undefined,
    // ZenML: the registry's default repository also names an intermediate that stays local.
    local: !push,
  });
  const context = contextSpec(inputs, s.build_context_root ? abs(inputs, s.build_context_root) : null, s.parent_image_build_config?.dockerignore, [
    { path: 'Dockerfile', content: dockerfile },
  ]);
  return { role: 'dockerfile', imageName: name, dockerfile, context, options, builderOptions, platform, push, checksum, checksumInputs };
}

/**
 * ZenML's pull rule: not the default parent; not a local intermediate; a remote builder pulls; a
 * local builder pulls too, and skips images that exist only on its engine (ZenML's
 * `is_local_image`: present without a repo digest).
 */
function pullsParent(s: ResolvedDockerSettings, intermediate: BuildDraft | undefined): boolean {
  return intermediate ? intermediate.push : s.parent_image !== undefined;
}

interface GeneratedInputs {
  from: string;
  pull: boolean;
  code: KnownCode;
  aptPackages: string[];
  /** The dependency image of an image whose code is appended: the same build without the code. */
  dependenciesOnly?: boolean;
}

function generatedBuild(inputs: PlanInputs, group: ImageGroup, g: GeneratedInputs): BuildDraft {
  const { stack } = inputs;
  const s = group.resolved.settings;
  const files = group.gathered.requirementFiles;
  const include = g.code.strategy === 'include' && !g.dependenciesOnly;
  const codeDownload = g.code.strategy === 'code-repository' || g.code.strategy === 'artifact-store' ? g.code.strategy : undefined;
  const dockerfile = generateDockerfile({ parentImage: g.from, settings: s, aptPackages: g.aptPackages, requirementFiles: files, includeCode: include, codeDownload, originOf: (field) => group.resolved.origins.of(field) });
  const options = group.resolved.buildOptions.generated;
  const builderOptions = builderOptionsOf(inputs, s, 'build_config');
  const platform = options.platform ?? stack.imageBuilder.platform;
  const checksumInputs: ChecksumInputs = {
    settings: settingsDigests(s),
    dockerfile: digestOf(dockerfile),
    requirements: Object.fromEntries(files.map((f) => [f.name, digestOf(f.content)])),
    context: include ? group.gathered.sourceDigest : undefined,
    parentImage: g.from,
    builder: stack.imageBuilder.flavor,
    platform,
    buildOptions: optionsDigest(options, builderOptions),
  };
  const checksum = digestOf(checksumInputs);
  const extraFiles = [{ path: 'Dockerfile', content: dockerfile }, ...files.map((f) => ({ path: f.name, content: f.content }))];
  if (codeDownload) extraFiles.push({ path: BOOTSTRAP_FILE_NAME, content: STOWAGE_BOOTSTRAP_PY });
  const context = { ...contextSpec(inputs, include ? inputs.sourceRoot : null, s.build_config?.dockerignore, extraFiles), ...(include ? { prefix: CODE_CONTEXT_DIR } : {}) };
  const name = imageName({ ...naming(inputs, group), checksum, imageTag: s.image_tag, suffix: g.dependenciesOnly ? DEPENDENCIES_SUFFIX : undefined });
  return { role: 'generated', imageName: name, dockerfile, context, options, builderOptions, platform, push: !!stack.containerRegistry, pull: g.pull || undefined, checksum, checksumInputs };
}

function contextSpec(inputs: PlanInputs, root: string | null, dockerignore: string | undefined, extraFiles: ContextSpec['extraFiles']): ContextSpec {
  return { root, dockerignore: dockerignore ? abs(inputs, dockerignore) : undefined, extraFiles, exclude: notPipelineCode(inputs.projectRoot, inputs.configFile) };
}

function abs(inputs: PlanInputs, path: string): string {
  return resolveSettingsPath(inputs.projectRoot, path);
}

/** The image the last stage of a Dockerfile starts FROM (flags like --platform skipped). */
export function dockerfileBase(dockerfile: string): string {
  const froms = [...dockerfile.matchAll(/^\s*FROM\s+((?:--\S+\s+)*)(\S+)/gim)];
  return froms.at(-1)?.[2] ?? 'unknown';
}
