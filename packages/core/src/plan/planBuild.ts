import type { Warning } from '@stowage/plugin-api';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { digestOf } from './checksum.js';
import { planImage, type ImageGroup } from './planImage.js';
import type { BuildPlan, PlanInputs, PlannedImage } from './types.js';
import { StowageError } from '@stowage/plugin-api';
import { explainRebuild } from './explainRebuild.js';

export { PIPELINE_IMAGE_KEY } from '../config/loadProjectConfig.js';
import { PIPELINE_IMAGE_KEY } from '../config/loadProjectConfig.js';

/** The key gathered inputs are stored under: a digest of the resolved settings. */
export function settingsKey(settings: ResolvedDockerSettings): string {
  return digestOf(settings);
}

/**
 * Plans the images of a pipeline (pure and deterministic: no I/O). Steps whose resolved settings
 * equal the pipeline's share the pipeline image; steps with equal settings share one image.
 */
export function planBuild(inputs: PlanInputs, warnings: Warning[] = []): BuildPlan {
  const groups = groupSteps(inputs);
  const images = mergeEqualImages(groups.map((group) => planImage(inputs, group))).map((image) => decideReuse(inputs, image));
  assertDistinctNames(images);
  const steps: Record<string, string> = {};
  for (const image of images) for (const step of image.steps) steps[step] = image.key;
  const codeCommit = images.some((i) => i.code.strategy === 'code-repository') ? inputs.codeRepository?.commit : undefined;
  return {
    pipeline: inputs.pipelineName,
    pythonVersion: inputs.pythonVersion,
    codeCommit,
    stack: { name: inputs.stack.name, checksum: inputs.stack.checksum },
    steps,
    images,
    warnings,
  };
}

function groupSteps(inputs: PlanInputs): ImageGroup[] {
  const pipelineKey = settingsKey(inputs.pipelineSettings);
  const byKey = new Map<string, ImageGroup>();
  const gathered = (key: string) => {
    const g = inputs.gathered[key];
    if (!g) throw new Error(`planBuild: no gathered inputs for settings ${key}`);
    return g;
  };
  if (inputs.steps.length === 0) {
    byKey.set(pipelineKey, { key: PIPELINE_IMAGE_KEY, steps: [], settings: inputs.pipelineSettings, gathered: gathered(pipelineKey) });
  }
  for (const step of inputs.steps) {
    const key = settingsKey(step.settings);
    const existing = byKey.get(key);
    if (existing) existing.steps.push(step.name);
    else if (key === pipelineKey) byKey.set(key, { key: PIPELINE_IMAGE_KEY, steps: [step.name], settings: step.settings, gathered: gathered(key) });
    else byKey.set(key, { key: step.name, tagStep: step.name, steps: [step.name], settings: step.settings, gathered: gathered(key) });
  }
  return [...byKey.values()];
}

/**
 * Images with equal checksums are one build (DESIGN §5): settings that differ only in what the
 * checksum leaves out (`prevent_build_reuse`) give the same image.
 */
function mergeEqualImages(images: PlannedImage[]): PlannedImage[] {
  const out: PlannedImage[] = [];
  for (const image of images) {
    const same = out.find((o) => o.checksum === image.checksum && o.action === image.action);
    if (!same) out.push(image);
    else {
      same.steps = [...same.steps, ...image.steps];
      same.settings = { ...same.settings, prevent_build_reuse: same.settings.prevent_build_reuse || image.settings.prevent_build_reuse };
    }
  }
  return out;
}

/** Two different images under one name would overwrite each other (a shared `image_tag`). */
function assertDistinctNames(images: readonly PlannedImage[]): void {
  for (const [i, image] of images.entries()) {
    if (image.action !== 'build') continue;
    const clash = images.slice(i + 1).find((o) => o.action === 'build' && o.imageName === image.imageName);
    if (clash) {
      throw new StowageError(`images ${image.key} and ${clash.key} are different but would both be named ${image.imageName}`, {
        code: 'SETTINGS_INVALID',
        keyPath: 'settings.docker.image_tag',
        hint: 'an image_tag set for the pipeline applies to every step with its own settings: give those steps their own image_tag (or target_repository)',
      });
    }
  }
}

/** Reuse a recorded image with the same checksum on the same stack, unless told not to. */
function decideReuse(inputs: PlanInputs, image: PlannedImage): PlannedImage {
  if (image.action !== 'build') return image;
  const sameStack = inputs.previousImages.filter(
    (p) => p.stackName === inputs.stack.name && p.stackChecksum === inputs.stack.checksum,
  );
  const lastOfKey = sameStack.filter((p) => p.key === image.key).sort((a, b) => b.created.localeCompare(a.created))[0];
  if (image.settings.prevent_build_reuse || inputs.preventBuildReuse) {
    const flag = inputs.preventBuildReuse ? '--prevent-build-reuse' : 'prevent_build_reuse is set';
    return { ...image, why: [flag] };
  }
  const unavailable = new Set(inputs.unavailableImages ?? []);
  const matches = sameStack
    .filter((p) => p.checksum === image.checksum)
    .sort((a, b) => b.created.localeCompare(a.created));
  const match = matches.find((p) => !unavailable.has(p.imageReference));
  if (match) {
    return {
      ...image,
      action: 'reuse',
      imageName: match.imageReference,
      reuse: { buildId: match.buildId, imageReference: match.imageReference },
      why: [`unchanged since build ${match.buildId}`],
    };
  }
  if (matches.length) return { ...image, why: [`the image of build ${matches[0]!.buildId} (${matches[0]!.imageReference}) no longer exists`] };
  return { ...image, why: explainRebuild(lastOfKey?.checksumInputs, image.checksumInputs, lastOfKey?.buildId) };
}
