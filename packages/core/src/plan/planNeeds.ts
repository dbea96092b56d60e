import type { CodeCheckoutState, PlanInputs, PlanStack, PreviousImage } from '../model/plan.js';
import type { ResolvedStep } from '../model/resolved.js';
import { decideCodeStrategy } from './codeStrategy.js';
import { matchingDependencies, matchingImages, reuseAllowed, reuseCandidateKey } from './decideReuse.js';
import { stagedContextsOf } from './imageSteps.js';
import { planImageDrafts } from './planBuild.js';

// What the plan will need gathered (pure): gather does the I/O for exactly these needs and
// decides nothing itself.

/** The code repository's view of the checkout: only when the stack has one and a step may download from it. */
export function needsCodeCheckout(steps: readonly ResolvedStep[], stack: Pick<PlanStack, 'codeRepositories'>): boolean {
  return stack.codeRepositories.length > 0 && steps.some((s) => s.settings.allow_download_from_code_repository);
}

/** The source digest of one image: only when its code is copied into it. */
export function needsSourceDigest(step: ResolvedStep, checkout: CodeCheckoutState | null, stack: PlanStack): boolean {
  return !step.settings.skip_build && decideCodeStrategy(step.settings, checkout, stack).strategy === 'include';
}

/** The code archive (digest, and whether the store has it): only when an image downloads code from the artifact store. */
export function needsCodeArchive(steps: readonly ResolvedStep[], checkout: CodeCheckoutState | null, stack: PlanStack): boolean {
  return !!stack.artifactStore && steps.some((s) => decideCodeStrategy(s.settings, checkout, stack).strategy === 'artifact-store');
}

/** Keys of the contexts a remote builder's builds would stage (gather asks the store which are there). */
export function stagedContextKeys(inputs: PlanInputs): string[] {
  if (inputs.given || !inputs.stack.imageBuilder.capabilities.stagesContext) return [];
  return planImageDrafts(inputs).flatMap((draft) => (draft.action === 'build' ? stagedContextsOf(draft, inputs.stack).map((s) => s.key) : []));
}

/** A recorded image to ask about: its presence is stored under `key` (see reuseCandidateKey). */
export interface ReuseCandidate {
  key: string;
  imageReference: string;
  imageId?: string;
}

/** Recorded images the plan could reuse, per image in the order to ask whether they still exist. */
export function reuseCandidates(inputs: PlanInputs): ReuseCandidate[][] {
  if (inputs.given) return [];
  const candidate = (p: PreviousImage): ReuseCandidate => ({ key: reuseCandidateKey(p), imageReference: p.imageReference, imageId: p.imageId });
  // An image whose code is appended: then its dependency image, asked only when no recorded image is there.
  return planImageDrafts(inputs)
    .filter((draft) => reuseAllowed(inputs, draft))
    .map((draft) => [...matchingImages(inputs, draft), ...matchingDependencies(inputs, draft)].map(candidate));
}
