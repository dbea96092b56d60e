import type { PlanInputs, PreviousImage } from '../model/plan.js';
import { currentValues } from './currentValues.js';
import { explainRebuild } from './explainRebuild.js';
import type { ImageDraft } from './planImage.js';

/** Recorded images of this pipeline on this stack with the draft's checksum, newest first. */
export function matchingImages(inputs: Pick<PlanInputs, 'previousImages' | 'stack'>, draft: ImageDraft): PreviousImage[] {
  return sameStack(inputs)
    .filter((p) => p.checksum === draft.checksum)
    .sort((a, b) => b.created.localeCompare(a.created));
}

function sameStack(inputs: Pick<PlanInputs, 'previousImages' | 'stack'>): PreviousImage[] {
  return inputs.previousImages.filter((p) => p.stackName === inputs.stack.name && p.stackChecksum === inputs.stack.checksum);
}

/**
 * What gather asks about a recorded image and decideReuse looks up: its reference, plus its image
 * id when one was recorded — a fixed `image_tag` on the engine may name another image by now.
 */
export function reuseCandidateKey(p: Pick<PreviousImage, 'imageReference' | 'imageId'>): string {
  return p.imageId ? `${p.imageReference} (image ${p.imageId})` : p.imageReference;
}

export function reuseAllowed(inputs: Pick<PlanInputs, 'preventBuildReuse'>, draft: ImageDraft): boolean {
  return draft.action === 'build' && !draft.settings.prevent_build_reuse && !inputs.preventBuildReuse;
}

/**
 * Reuses a recorded image with the same checksum on the same stack that still exists (gather
 * asked the registry or engine), unless told not to; otherwise says why the image is built. An
 * image whose existence could not be checked is built again — in `plan` and `build` alike, so
 * the plan shows exactly what the build then does.
 */
export function decideReuse(inputs: PlanInputs, draft: ImageDraft): ImageDraft {
  return withDependencyReuse(inputs, decideImageReuse(inputs, draft));
}

/** Recorded dependency images with the draft's dependency checksum on the same stack, newest first. */
export function matchingDependencies(inputs: Pick<PlanInputs, 'previousImages' | 'stack'>, draft: ImageDraft): PreviousImage[] {
  const checksum = draft.dependencies?.checksum;
  if (!checksum) return [];
  return sameStack(inputs)
    .filter((p) => p.checksum === checksum)
    .sort((a, b) => b.created.localeCompare(a.created));
}

/**
 * An image rebuilt whose dependency image is unchanged and still in the registry: only its code
 * layers are appended (no Docker build). Never when reuse is not allowed.
 */
function withDependencyReuse(inputs: PlanInputs, draft: ImageDraft): ImageDraft {
  if (draft.action !== 'build' || !draft.dependencies || !reuseAllowed(inputs, draft)) return draft;
  const match = matchingDependencies(inputs, draft).find((p) => inputs.presence[reuseCandidateKey(p)] === 'present');
  if (!match) return draft;
  const reuse = { buildId: match.buildId, imageReference: match.imageReference };
  return { ...draft, dependencies: { ...draft.dependencies, reuse }, why: [...draft.why, `dependency image unchanged since build ${match.buildId}: only the code layers are appended`] };
}

function decideImageReuse(inputs: PlanInputs, draft: ImageDraft): ImageDraft {
  if (draft.action !== 'build') return draft;
  if (!reuseAllowed(inputs, draft)) {
    return { ...draft, why: [inputs.preventBuildReuse ? '--prevent-build-reuse' : 'prevent_build_reuse is set'] };
  }
  const matches = matchingImages(inputs, draft);
  const match = matches.find((p) => inputs.presence[reuseCandidateKey(p)] === 'present');
  if (match) {
    const reuse = { buildId: match.buildId, imageReference: match.imageReference, imageId: match.imageId };
    // The checksum of an image built from a user Dockerfile leaves its name out (image_tag,
    // target_repository): the same image is given the planned name, never rebuilt for it.
    if (namedOtherwise(matches, match, draft.imageName)) {
      return { ...draft, action: 'reuse', reuse: { ...reuse, retag: true }, why: [`unchanged since build ${match.buildId}; named ${draft.imageName} (was ${match.imageName})`] };
    }
    return { ...draft, action: 'reuse', imageName: match.imageReference, reuse, why: [`unchanged since build ${match.buildId}`] };
  }
  const first = matches[0];
  if (first) {
    const unknown = (inputs.presence[reuseCandidateKey(first)] ?? 'unknown') === 'unknown';
    const why = unknown
      ? `could not check that the image of build ${first.buildId} (${first.imageReference}) still exists; building it again`
      : first.imageId
        ? `the image of build ${first.buildId} (${first.imageId}) is no longer what ${first.imageReference} names`
        : `the image of build ${first.buildId} (${first.imageReference}) no longer exists`;
    return { ...draft, why: [why] };
  }
  const last = sameStack(inputs)
    .filter((p) => p.key === draft.key)
    .sort((a, b) => b.created.localeCompare(a.created))[0];
  const { why, changes } = explainRebuild(last, { checksumInputs: draft.checksumInputs, values: currentValues(inputs, draft) }, last?.buildId);
  return { ...draft, why, changes };
}

/**
 * The recorded names of the matched image (a record of a reuse names it only by reference, so the
 * records of the same reference are asked) exclude the planned name.
 */
function namedOtherwise(matches: readonly PreviousImage[], match: PreviousImage, planned: string): boolean {
  const names = matches.filter((p) => p.imageReference === match.imageReference && !p.imageName.includes('@')).map((p) => p.imageName);
  return names.length > 0 && !names.includes(planned);
}
