import type { ImageBuilderCapabilities } from '@stowage/plugin-api';
import type { DockerSettingsInput } from '../src/settings/DockerSettingsSchema.js';
import { settingsKey } from '../src/plan/planBuild.js';
import type { BuildPlan, DockerBuildStep, GatheredInputs, PlanInputs, PlannedImage, PlanStack, PreviousImage, RequirementFile } from '../src/model/plan.js';
import type { FieldOrigin } from '../src/model/origin.js';
import type { PipelineBuild } from '../src/model/PipelineBuild.js';
import { recordBuild } from '../src/record/recordBuild.js';
import { Redactor } from '../src/settings/Redactor.js';
import { resolvedStep, settings } from './settingsFixture.js';

/** What the local builder declares: pushes after building, takes the context as a stream. */
export const LOCAL_CAPABILITIES: ImageBuilderCapabilities = {
  push: 'separate',
  platforms: [],
  stagesContext: false,
  secrets: false,
  cacheMounts: false,
  buildOptions: ['buildArgs', 'labels', 'target', 'platform', 'pull', 'noCache', 'network'],
};

/** A remote builder (CodeBuild-like): pushes while building, reads a tar context from the artifact store. */
export const REMOTE_CAPABILITIES: ImageBuilderCapabilities = {
  push: 'in-build',
  platforms: ['linux/amd64', 'linux/arm64'],
  stagesContext: 'tar',
  secrets: true,
  cacheMounts: false,
  buildOptions: ['buildArgs', 'target', 'platform'],
};

export function localBuilder(over: Partial<PlanStack['imageBuilder']> = {}): PlanStack['imageBuilder'] {
  return { flavor: 'local', remote: false, capabilities: LOCAL_CAPABILITIES, ...over };
}

export function remoteBuilder(over: Partial<PlanStack['imageBuilder']> = {}): PlanStack['imageBuilder'] {
  return { flavor: 'aws-codebuild', remote: true, capabilities: REMOTE_CAPABILITIES, ...over };
}

export const REGISTRY: NonNullable<PlanStack['containerRegistry']> = { flavor: 'oci', uri: 'reg.example.com/team' };

/** An object store containers can download code from. */
export const REMOTE_STORE: NonNullable<PlanStack['artifactStore']> = { flavor: 's3', scheme: 's3', root: 's3://bucket/stowage', reachableFromContainers: true };

/** A stack whose remote builder stages its context in an s3 store and pushes to a registry while building. */
export const REMOTE_STACK: Partial<PlanStack> = { imageBuilder: remoteBuilder(), containerRegistry: REGISTRY, artifactStore: REMOTE_STORE };

export const LOCAL_STACK: PlanStack = {
  name: 'default',
  checksum: 'sha256:stack',
  imageBuilder: localBuilder(),
  artifactStore: { flavor: 'local', scheme: 'file', root: 'file:///proj/.stowage/artifacts', reachableFromContainers: false },
  requirements: [],
  aptPackages: [],
  extraRequirementFiles: {},
  codeRepositories: [],
  componentOrigins: { image_builder: { file: 'stowage.yaml', line: 3, keyPath: 'stacks.default.image_builder.flavor', level: 'stack default' } },
};

/** Gathered inputs as gather would produce them for simple settings (user requirements list only). */
function gatheredFor(s: ReturnType<typeof settings>, extra: Partial<GatheredInputs>, stack: PlanStack): GatheredInputs {
  const files: RequirementFile[] = [];
  if (s.install_stack_requirements && stack.requirements.length) files.push({ name: '.stowage_stack_requirements', source: 'stack', content: `${stack.requirements.join('\n')}\n` });
  if (Array.isArray(s.requirements) && s.requirements.length) files.push({ name: '.stowage_user_requirements', source: 'user', content: `${s.requirements.join('\n')}\n` });
  return { requirementFiles: files, integrationAptPackages: [], sourceDigest: 'sha256:src-1', userDockerfile: s.dockerfile ? { path: s.dockerfile, content: 'FROM base:1\nRUN echo hi\n' } : undefined, ...extra };
}

export interface InputsOptions {
  pipeline?: DockerSettingsInput;
  steps?: Record<string, DockerSettingsInput | undefined>;
  stack?: Partial<PlanStack>;
  gathered?: Partial<GatheredInputs>;
  rest?: Partial<PlanInputs>;
  /** Origins of fields by step name (`pipeline` for the pipeline's settings), replacing the fixture's defaults. */
  origins?: Readonly<Record<string, Readonly<Record<string, FieldOrigin>>>>;
}

/** PlanInputs for pure planner tests: step settings are pipeline settings overlaid field-wise. */
export function planInputs(o: InputsOptions = {}): PlanInputs {
  const stack = { ...LOCAL_STACK, ...o.stack };
  const pipeline = resolvedStep('pipeline', settings(o.pipeline ?? {}), o.origins?.pipeline);
  const steps = Object.entries(o.steps ?? { train: undefined }).map(([name, s]) => resolvedStep(name, settings({ ...(o.pipeline ?? {}), ...(s ?? {}) }), o.origins?.[name]));
  const gathered: Record<string, GatheredInputs> = {};
  for (const s of [pipeline, ...steps].map((x) => x.settings)) gathered[settingsKey(s)] = gatheredFor(s, o.gathered ?? {}, stack);
  return {
    pipelineName: 'training',
    pythonVersion: '3.11',
    projectRoot: '/proj',
    sourceRoot: '/proj',
    stack,
    pipelineSettings: pipeline,
    steps,
    gathered,
    codeCheckout: null,
    previousImages: [],
    previousBuilds: [],
    presence: {},
    ...o.rest,
  };
}

/** The docker-build steps of an image, in order (what `image.builds` used to be). */
export function dockerBuildsOf(image: PlannedImage): DockerBuildStep[] {
  return image.buildSteps.filter((s): s is DockerBuildStep => s.kind === 'docker-build');
}

/** The generated Dockerfile of an image ('' when it builds none). */
export function lastDockerfile(image: PlannedImage): string {
  return dockerBuildsOf(image).at(-1)?.dockerfile ?? '';
}

/** The build goes to the registry: pushed by the builder while building, or by a following push step. */
export function isPushed(image: PlannedImage, build: DockerBuildStep): boolean {
  return build.pushInBuild || image.buildSteps.some((s) => s.kind === 'push' && s.imageName === build.imageName);
}

/** The record `build` would write for a plan whose steps all succeeded (no digests: nothing pushed). */
export function recordOf(plan: BuildPlan, stack: PlanStack, id = 'b-1', created = '2026-01-01T00:00:00.000Z'): PipelineBuild {
  return recordBuild({ id, plan, stack, results: new Map(), redactor: new Redactor(), toolVersion: '0.0.0-test', seconds: 1, created: new Date(created) });
}

/** A recorded image with the planned image's checksum on the default stack, as the build store would give it. */
export function previousOf(image: Pick<PlannedImage, 'key' | 'checksum' | 'checksumInputs' | 'imageName'>, over: Partial<PreviousImage> = {}): PreviousImage {
  return {
    buildId: 'b-1',
    created: '2026-01-01T00:00:00.000Z',
    stackName: 'default',
    stackChecksum: 'sha256:stack',
    key: image.key,
    checksum: image.checksum,
    checksumInputs: image.checksumInputs,
    imageName: image.imageName,
    imageReference: image.imageName,
    ...over,
  };
}
