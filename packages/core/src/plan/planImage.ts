import { join } from 'node:path';
import { STOWAGE_STATE_DIR } from '../context/selectSourceFiles.js';
import { resolveSettingsPath } from '../settings/resolveStepSettings.js';
import { generateDockerfile } from '../dockerfile/DockerfileGenerator.js';
import { imageReference } from '../dockerfile/dockerfileValues.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { digestOf } from './checksum.js';
import { decideCodeStrategy } from './codeStrategy.js';
import { assertValidTag, imageName } from './imageNaming.js';
import type { ChecksumInputs, GatheredInputs, PlanInputs, PlannedBuild, PlannedImage } from './types.js';

export interface ImageGroup {
  key: string;
  /** Step name used in the tag (absent for the shared pipeline image). */
  tagStep?: string;
  steps: string[];
  settings: ResolvedDockerSettings;
  gathered: GatheredInputs;
}

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
export function planImage(inputs: PlanInputs, group: ImageGroup): PlannedImage {
  const s = group.settings;
  const g = group.gathered;
  const { stack } = inputs;
  const base = { key: group.key, steps: group.steps, settings: s, why: [] as string[] };
  const parent = s.parent_image ?? defaultParentImage(inputs);
  imageReference('settings.docker.parent_image', parent);
  if (s.image_tag) assertValidTag(s.image_tag, 'settings.docker.image_tag');

  if (s.skip_build) {
    const checksumInputs = parentOnlyInputs(parent, s);
    return {
      ...base,
      action: 'skip-build',
      parentImage: parent,
      imageName: parent,
      checksum: digestOf(checksumInputs),
      checksumInputs,
      code: { strategy: 'none', reason: 'skip_build: the image must already hold the code at /app' },
      builds: [],
      requirementFiles: [],
      aptPackages: [],
    };
  }

  const code = decideCodeStrategy(s, inputs.codeRepository, stack);
  const aptPackages = [
    ...s.apt_packages,
    ...(s.install_stack_requirements ? stack.aptPackages : []),
    ...g.integrationAptPackages,
  ];
  const codeMode = code.strategy === 'include' ? 'include' : code.strategy === 'none' ? 'none' : 'download';
  const triggers = buildTriggers(s, g.requirementFiles, aptPackages, codeMode);
  const naming = {
    pipelineName: inputs.pipelineName,
    stepName: group.tagStep,
    targetRepository: s.target_repository,
    registry: stack.containerRegistry,
  };
  const platformOf = (options: Record<string, unknown>): string | undefined =>
    typeof options.platform === 'string' ? options.platform : stack.imageBuilder.platform;
  const builds: PlannedBuild[] = [];
  let from = parent;

  if (s.dockerfile) {
    const options = { ...(s.parent_image_build_config?.build_options ?? {}) };
    const dockerfile = g.userDockerfile?.content ?? '';
    const checksumInputs: ChecksumInputs = {
      settings: settingsDigests(s, DOCKERFILE_FIELDS),
      dockerfile: digestOf(dockerfile),
      requirements: {},
      context: g.dockerfileContextDigest,
      parentImage: 'dockerfile',
      builder: stack.imageBuilder.flavor,
      platform: platformOf(options),
      buildOptions: digestOf(options),
    };
    const checksum = digestOf(checksumInputs);
    const intermediate = triggers.length > 0;
    // The intermediate image only travels through the registry when a remote builder needs it.
    const push = intermediate ? stack.imageBuilder.remote && !!stack.containerRegistry : !!stack.containerRegistry;
    const name = imageName({
      ...naming,
      checksum,
      imageTag: intermediate ? undefined : s.image_tag,
      suffix: intermediate ? 'intermediate' : undefined,
      registry: push ? stack.containerRegistry : undefined,
    });
    builds.push({
      role: 'dockerfile',
      imageName: name,
      dockerfile,
      context: {
        root: s.build_context_root ? abs(inputs, s.build_context_root) : null,
        dockerignore: optionalAbs(inputs, s.parent_image_build_config?.dockerignore),
        extraFiles: [{ path: 'Dockerfile', content: dockerfile }],
        exclude: [stowageStateDir(inputs.projectRoot)],
      },
      buildOptions: options,
      platform: platformOf(options),
      push,
      checksum,
      checksumInputs,
    });
    from = name;
  }

  if (triggers.length > 0) {
    const dockerfile = generateDockerfile({
      parentImage: from,
      settings: s,
      aptPackages,
      requirementFiles: g.requirementFiles,
      includeCode: code.strategy === 'include',
      codeDownload: codeMode === 'download' ? (code.strategy as 'code-repository' | 'artifact-store') : undefined,
    });
    const options = { ...(s.build_config?.build_options ?? {}) };
    const requirements = Object.fromEntries(g.requirementFiles.map((f) => [f.name, digestOf(f.content)]));
    const checksumInputs: ChecksumInputs = {
      settings: settingsDigests(s),
      dockerfile: digestOf(dockerfile),
      requirements,
      context: code.strategy === 'include' ? g.sourceDigest : undefined,
      parentImage: from,
      builder: stack.imageBuilder.flavor,
      platform: platformOf(options),
      buildOptions: digestOf(options),
    };
    const checksum = digestOf(checksumInputs);
    builds.push({
      role: 'generated',
      imageName: imageName({ ...naming, checksum, imageTag: s.image_tag }),
      dockerfile,
      context: {
        root: code.strategy === 'include' ? inputs.sourceRoot : null,
        dockerignore: optionalAbs(inputs, s.build_config?.dockerignore),
        extraFiles: [
          { path: 'Dockerfile', content: dockerfile },
          ...g.requirementFiles.map((f) => ({ path: f.name, content: f.content })),
        ],
        exclude: [stowageStateDir(inputs.projectRoot)],
      },
      buildOptions: options,
      platform: platformOf(options),
      push: !!stack.containerRegistry,
      checksum,
      checksumInputs,
    });
  }

  const last = builds.at(-1);
  if (!last) {
    const checksumInputs = parentOnlyInputs(parent, s);
    return {
      ...base,
      action: 'use-parent',
      parentImage: parent,
      imageName: parent,
      checksum: digestOf(checksumInputs),
      checksumInputs,
      code,
      builds,
      requirementFiles: g.requirementFiles,
      aptPackages,
      why: ['nothing to add to the parent image'],
    };
  }
  return {
    ...base,
    action: 'build',
    // With a Dockerfile: the image built from it (two images), or that Dockerfile's own base.
    parentImage: !s.dockerfile ? parent : builds.length > 1 ? builds[0]!.imageName : dockerfileBase(builds[0]!.dockerfile),
    imageName: last.imageName,
    checksum: last.checksum,
    checksumInputs: last.checksumInputs,
    code,
    builds,
    requirementFiles: g.requirementFiles,
    aptPackages,
  };
}

function parentOnlyInputs(parent: string, s: ResolvedDockerSettings): ChecksumInputs {
  return { settings: settingsDigests(s), dockerfile: '', requirements: {}, parentImage: parent, builder: 'none', buildOptions: '' };
}

function abs(inputs: PlanInputs, path: string): string {
  return resolveSettingsPath(inputs.projectRoot, path);
}

function optionalAbs(inputs: PlanInputs, path: string | undefined): string | undefined {
  return path ? abs(inputs, path) : undefined;
}

/** `<config folder>/.stowage`: build records and the default artifact store. */
export function stowageStateDir(projectRoot: string): string {
  return join(projectRoot, STOWAGE_STATE_DIR);
}

/** The image the last stage of a Dockerfile starts FROM (flags like --platform skipped). */
export function dockerfileBase(dockerfile: string): string {
  const froms = [...dockerfile.matchAll(/^\s*FROM\s+((?:--\S+\s+)*)(\S+)/gim)];
  return froms.at(-1)?.[2] ?? 'unknown';
}
