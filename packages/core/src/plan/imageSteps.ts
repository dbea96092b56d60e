import type { AppendLayerStep, DockerBuildStep, PlanStack, PlanStep, Provenance, StageContextStep } from '../model/plan.js';
import { IMAGE_WORKDIR } from '../dockerfile/DockerfileGenerator.js';
import { locationUnder, stagedContextKey } from '../model/artifactKeys.js';
import { repositoryOf } from '../model/imageRefs.js';
import { ociLabels, withPlannedOptions } from './ociLabels.js';
import type { BuildDraft, ImageDraft } from './planImage.js';

/** What the images' labels name besides each image's own steps and checksum. */
export interface ImageOrigin {
  pipeline: string;
  provenance?: Provenance;
}

const EXTENSIONS = { tar: 'tar', 'tar.gz': 'tar.gz', zip: 'zip' } as const;

/**
 * The typed steps the engine takes for one image (pure): per build, staging its context for a
 * remote builder, the build itself, and a push unless the builder pushes while building.
 */
export function imageSteps(image: ImageDraft, stack: PlanStack, staged: Readonly<Record<string, boolean>> = {}, origin?: ImageOrigin): PlanStep[] {
  switch (image.action) {
    case 'reuse': {
      const { imageReference, buildId, retag } = image.reuse!;
      const reuse: PlanStep = { kind: 'reuse', image: image.key, imageReference, buildId };
      if (!retag) return [reuse];
      const insecure = stack.containerRegistry?.insecure;
      return [reuse, { kind: 'tag', image: image.key, source: imageReference, imageName: image.imageName, where: stack.containerRegistry ? 'registry' : 'engine', ...(insecure !== undefined && { insecure }) }];
    }
    case 'use-parent':
      return [{ kind: 'use-parent', image: image.key, imageName: image.imageName }];
    case 'skip-build':
      return [{ kind: 'skip-build', image: image.key, imageName: image.imageName }];
    case 'build': {
      const reused = image.dependencies?.reuse;
      // A recorded dependency image still in the registry: nothing is built, the code is appended to it.
      const builds = reused ? [] : image.builds.flatMap((b) => {
        const labels = origin && ociLabels({ ...origin, image: image.key, steps: image.steps, checksum: b.checksum });
        return buildSteps(image.key, { ...b, options: withPlannedOptions(b.options, { labels, pull: b.pull }, stack.imageBuilder.capabilities.buildOptions) }, stack, staged);
      });
      return image.append ? [...builds, appendStep(image, stack, origin)] : builds;
    }
  }
}

/** The code layers appended to the dependency image (built by the steps before, or recorded). */
function appendStep(image: ImageDraft, stack: PlanStack, origin: ImageOrigin | undefined): AppendLayerStep {
  const insecure = stack.containerRegistry?.insecure;
  const deps = image.dependencies!;
  const labels = origin ? ociLabels({ ...origin, image: image.key, steps: image.steps, checksum: image.checksum }) : {};
  return {
    kind: 'append-layer',
    image: image.key,
    imageName: image.imageName,
    base: deps.reuse?.imageReference ?? deps.imageName,
    baseFrom: deps.reuse ? 'reuse' : 'build',
    context: image.append!.context,
    destination: IMAGE_WORKDIR,
    ...(image.settings.user && { user: image.settings.user }),
    labels,
    ...(origin?.provenance?.created && { created: origin.provenance.created }),
    cacheDir: image.append!.cacheDir,
    ...(insecure !== undefined && { insecure }),
    checksum: image.checksum,
    checksumInputs: image.checksumInputs,
  };
}

function buildSteps(image: string, b: BuildDraft, stack: PlanStack, staged: Readonly<Record<string, boolean>>): PlanStep[] {
  const steps: PlanStep[] = [];
  const stage = stageContext(image, b, stack);
  // Named by the build's checksum: a context already staged is not uploaded again.
  if (stage && !staged[stage.key]) steps.push(stage);
  const pushMode = stack.imageBuilder.capabilities.push;
  const build: DockerBuildStep = {
    kind: 'docker-build',
    image,
    role: b.role,
    imageName: b.imageName,
    dockerfile: b.dockerfile,
    context: b.context,
    options: b.options,
    builderOptions: b.builderOptions,
    platform: b.platform,
    pushInBuild: b.push && pushMode === 'in-build',
    stagedContext: stage ? { key: stage.key, destination: stage.destination } : undefined,
    checksum: b.checksum,
    checksumInputs: b.checksumInputs,
  };
  steps.push(build);
  if (b.push && pushMode === 'separate') steps.push({ kind: 'push', image, role: b.role, imageName: b.imageName, repository: repositoryOf(b.imageName) });
  return steps;
}

/** The staged context of each build of a remote builder (what gather checks the store for). */
export function stagedContextsOf(image: Pick<ImageDraft, 'key' | 'builds'>, stack: PlanStack): StageContextStep[] {
  return image.builds.flatMap((b) => stageContext(image.key, b, stack) ?? []);
}

/** Remote builders read their context from the artifact store, named by the build's checksum. */
function stageContext(image: string, b: BuildDraft, stack: PlanStack): StageContextStep | undefined {
  const format = stack.imageBuilder.capabilities.stagesContext;
  if (!format || !stack.artifactStore) return undefined;
  const key = stagedContextKey(b.checksum, EXTENSIONS[format]);
  return { kind: 'stage-context', image, role: b.role, key, destination: locationUnder(stack.artifactStore.root, key), format, context: b.context };
}
