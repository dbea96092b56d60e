import { repositoryOf } from '../model/imageRefs.js';
import type { BuildPlan, PlanStack } from '../model/plan.js';
import { planChecksum } from '../plan/verifyGivenBuild.js';
import type { Redactor } from '../settings/Redactor.js';
import { settingValues } from '../plan/currentValues.js';
import type { ImageResult } from '../execute/ExecutionContext.js';
import type { BuildImage, PipelineBuild } from '../model/PipelineBuild.js';
import { launchSpecs } from '../plan/launchSpecs.js';

export interface RecordInputs {
  id: string;
  plan: BuildPlan;
  stack: PlanStack;
  results: ReadonlyMap<string, ImageResult>;
  redactor: Redactor;
  toolVersion: string;
  seconds: number;
  created: Date;
  /** Seconds per image key (ImageTimings). */
  imageSeconds?: ReadonlyMap<string, number>;
}

/** The pipeline build of an executed plan (credentials redacted from Dockerfiles and requirements). */
export function recordBuild(r: RecordInputs): PipelineBuild {
  const { plan } = r;
  const images = plan.images.map((image) => recordedImage(image, r));
  return {
    id: r.id,
    pipeline: plan.pipeline,
    stack: plan.stack,
    checksum: planChecksum(plan.images),
    images,
    containsCode: images.some((i) => i.containsCode),
    isLocal: !r.stack.containerRegistry,
    codeReference: plan.codeCommit ? { commit: plan.codeCommit, subdirectory: plan.codeDownload?.subdirectory || undefined, repository: plan.codeDownload?.repository } : undefined,
    codeArchive: plan.codeArchive ? { url: plan.codeArchive.uri, digest: plan.codeArchive.digest, key: plan.codeArchive.key } : undefined,
    launch: launchSpecs(plan, images),
    contextFiles: recordedContextFiles(plan),
    toolVersion: r.toolVersion,
    pythonVersion: plan.pythonVersion,
    created: r.created.toISOString(),
    durationSeconds: Math.round(r.seconds * 10) / 10,
  };
}

/** One image of the record: what its steps did, with its Dockerfiles and requirements redacted. */
function recordedImage(image: BuildPlan['images'][number], r: RecordInputs): BuildImage {
  const done = r.results.get(image.key);
  const imageName = done?.imageName ?? image.imageName;
  const builds = image.buildSteps.filter((s) => s.kind === 'docker-build');
  return {
    key: image.key,
    steps: image.steps,
    action: image.action === 'build' ? 'built' : image.action === 'reuse' ? 'reused' : image.action,
    imageName,
    digest: done?.digest,
    imageId: done?.imageId ?? image.reuse?.imageId,
    imageReference: done?.digest ? `${repositoryOf(imageName)}@${done.digest}` : imageName,
    checksum: image.checksum,
    checksumInputs: image.checksumInputs,
    dockerfiles: builds.map((b) => ({ role: b.role, imageName: b.imageName, content: r.redactor.redact(b.dockerfile) })),
    requirements: image.requirementFiles.map((f) => ({ name: f.name, source: f.source, content: r.redactor.redact(f.content) })),
    containsCode: image.code.strategy === 'include' && image.action !== 'use-parent',
    codeStrategy: image.code.strategy,
    platform: builds.at(-1)?.platform,
    reusedFrom: image.reuse?.buildId,
    durationSeconds: r.imageSeconds?.get(image.key),
    sizeBytes: done?.sizeBytes,
    settingValues: image.action === 'build' || image.action === 'reuse' ? r.redactor.redactDeep(settingValues(image)) : undefined,
    dependencyImage: dependencyImageOf(image, done),
  };
}

/** The dependency image an image's code was appended to, as the append step reported it. */
function dependencyImageOf(image: BuildPlan['images'][number], done: ImageResult | undefined): BuildImage['dependencyImage'] {
  const deps = image.dependencies;
  if (image.action !== 'build' || !deps || !done?.dependency) return undefined;
  const { imageName, imageReference } = done.dependency;
  return { imageName, imageReference, checksum: deps.checksum, checksumInputs: deps.checksumInputs, reusedFrom: deps.reuse?.buildId };
}

/** The files of the context folders the images' checksums cover, once per folder digest. */
function recordedContextFiles(plan: BuildPlan): PipelineBuild['contextFiles'] {
  const out: NonNullable<PipelineBuild['contextFiles']> = {};
  for (const image of plan.images) {
    const digest = image.checksumInputs.context;
    const files = digest ? image.contexts?.[digest] : undefined;
    if (digest && files && (image.action === 'build' || image.action === 'reuse')) out[digest] = files;
  }
  return Object.keys(out).length ? out : undefined;
}
