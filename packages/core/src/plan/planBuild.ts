import { StowageError, type Warning } from '@stowage/plugin-api';
import { PIPELINE_IMAGE_KEY } from '../model/imageKeys.js';
import { codeArchiveKey, locationUnder } from '../model/artifactKeys.js';
import { digestOf } from '../model/checksum.js';
import { locationOf } from '../model/origin.js';
import type { BuildPlan, GatheredInputs, PlanInputs, PlannedImage, PlanStep, UploadCodeArchiveStep } from '../model/plan.js';
import { notPipelineCode } from '../model/stateDir.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { checkCapabilities } from './checkCapabilities.js';
import { contextsOf } from './currentValues.js';
import { decideReuse } from './decideReuse.js';
import { imageSteps } from './imageSteps.js';
import { planOutcome } from './planOutcome.js';
import { planImage, type ImageDraft, type ImageGroup } from './planImage.js';
import { verifyGivenBuild } from './verifyGivenBuild.js';

const settingsKeys = new WeakMap<ResolvedDockerSettings, string>();

/**
 * The key gathered inputs are stored under: a digest of the resolved settings. Remembered per
 * settings object (resolved settings are never changed afterwards): gathering and planning each
 * ask once per step, and the canonical JSON and sha256 of 2,000 steps' settings cost more than the
 * rest of their planning (`pnpm bench`, steps).
 */
export function settingsKey(settings: ResolvedDockerSettings): string {
  let key = settingsKeys.get(settings);
  if (key === undefined) {
    key = digestOf(settings);
    settingsKeys.set(settings, key);
  }
  return key;
}

/**
 * The plan stage (pure, runs once): which images the pipeline needs, how each is made (typed
 * steps), which earlier images are reused, the code upload, and what `build` ends with — a new
 * record, an unchanged earlier one, or the given build. The engine takes exactly these steps.
 */
export function planBuild(inputs: PlanInputs, warnings: readonly Warning[] = []): BuildPlan {
  const drafts = planImageDrafts(inputs);
  const findings = checkCapabilities(drafts, inputs.stack);
  const steps: Record<string, string> = {};
  for (const image of drafts) for (const step of image.steps) steps[step] = image.key;
  const commands = Object.fromEntries(inputs.steps.map((s) => [s.name, commandOf(s.command)]));
  const base = { pipeline: inputs.pipelineName, pythonVersion: inputs.pythonVersion, stack: { name: inputs.stack.name, checksum: inputs.stack.checksum }, steps, commands };
  if (inputs.given) {
    const { codeRepositories, artifactStore } = inputs.stack;
    const code = { repositories: codeRepositories.map((r) => r.name), artifactStore };
    const expectation = { pipeline: inputs.pipelineName, stack: inputs.stack.name, pipelineSteps: Object.keys(steps), images: drafts, code };
    const verification = verifyGivenBuild(inputs.given.build, expectation);
    const { build, from, reference, stored } = inputs.given;
    const outcome = { kind: 'given-build' as const, buildId: build.id, from, reference, save: !stored, build };
    return { ...base, images: [], preSteps: [], outcome, warnings: [...warnings, ...findings, ...verification] };
  }
  const images = drafts.map((d) => decideReuse(inputs, d)).map((d) => toPlannedImage(d, inputs));
  const checkout = images.some((i) => i.code.strategy === 'code-repository') ? inputs.codeCheckout : null;
  const codeCommit = checkout?.commit;
  const codeDownload = checkout ? { repository: checkout.repository, subdirectory: checkout.subdirectory, spec: checkout.download } : undefined;
  const codeArchive = codeArchiveOf(inputs, images);
  const preSteps: PlanStep[] = codeArchive && !inputs.codeArchive!.present ? [{ kind: 'upload-code-archive', ...codeArchive }] : [];
  const c = inputs.codeCheckout;
  const shownCheckout = c ? { repository: c.repository, commit: c.commit, isDirty: c.isDirty, isPushed: c.isPushed } : undefined;
  const partial = { ...base, checkout: shownCheckout, codeCommit, codeDownload, images, preSteps, warnings: [...warnings, ...findings, ...commandless(images, base.commands)] };
  const archive = codeArchive ? { digest: codeArchive.digest, uri: codeArchive.destination, key: codeArchive.key } : undefined;
  const outcome = planOutcome(inputs, { ...partial, codeArchive: archive });
  // An existing build is returned as-is: no step runs, so none is shown.
  const shown = outcome.kind === 'existing-build' ? images.map((i) => ({ ...i, buildSteps: [] })) : images;
  return { ...partial, images: shown, codeArchive: archive, outcome };
}

/** A step whose image downloads its code needs a command for the bootstrap to run after it. */
function commandless(images: readonly PlannedImage[], commands: Record<string, string[] | null>): Warning[] {
  return images
    .filter((i) => i.code.strategy === 'code-repository' || i.code.strategy === 'artifact-store')
    .flatMap((i) => i.steps.filter((step) => !commands[step]))
    .map((step) => ({ message: `step ${step} downloads its code but has no command: set steps.${step}.command, or pass one to \`stowage run ${step} -- …\``, keyPath: `steps.${step}` }));
}

function commandOf(command: string | string[] | undefined): string[] | null {
  if (command === undefined) return null;
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
}

/** The images before reuse is decided: what gather's reuse-candidate needs are computed from too. */
export function planImageDrafts(inputs: PlanInputs): ImageDraft[] {
  const drafts = mergeEqualImages(groupSteps(inputs).map((group) => planImage(inputs, group)));
  assertDistinctNames(drafts);
  return drafts;
}

function toPlannedImage(draft: ImageDraft, inputs: PlanInputs): PlannedImage {
  const { builds: _builds, resolved: _resolved, append: _append, ...image } = draft;
  const buildSteps = imageSteps(draft, inputs.stack, inputs.stagedContexts, { pipeline: inputs.pipelineName, provenance: inputs.provenance });
  return { ...image, buildSteps, contexts: contextsOf(inputs, draft) };
}

/** Images that download their code from the artifact store need the archive there (uploaded once, by digest). */
function codeArchiveOf(inputs: PlanInputs, images: readonly PlannedImage[]): Omit<UploadCodeArchiveStep, 'kind'> | undefined {
  const needed = images.some((i) => i.code.strategy === 'artifact-store');
  if (!needed) return undefined;
  if (!inputs.codeArchive || !inputs.stack.artifactStore) {
    throw new StowageError('the plan downloads code from the artifact store, but none was gathered', { code: 'STACK_INVALID' });
  }
  const key = codeArchiveKey(inputs.codeArchive.digest);
  const exclude = notPipelineCode(inputs.projectRoot, inputs.configFile);
  const { digest, selection } = inputs.codeArchive;
  return { key, destination: locationUnder(inputs.stack.artifactStore.root, key), digest, root: inputs.sourceRoot, selection, exclude };
}

function groupSteps(inputs: PlanInputs): ImageGroup[] {
  const pipelineKey = settingsKey(inputs.pipelineSettings.settings);
  const byKey = new Map<string, ImageGroup>();
  const gathered = (key: string): GatheredInputs => {
    const g = inputs.gathered[key];
    if (!g) throw new Error(`planBuild: no gathered inputs for settings ${key}`);
    return g;
  };
  // Always planned: a ZenML run config lists only the steps it configures, and every other step runs in it.
  byKey.set(pipelineKey, { key: PIPELINE_IMAGE_KEY, steps: [], resolved: inputs.pipelineSettings, gathered: gathered(pipelineKey) });
  for (const step of inputs.steps) {
    const key = settingsKey(step.settings);
    const existing = byKey.get(key);
    if (existing) existing.steps.push(step.name);
    else byKey.set(key, { key: step.name, tagStep: step.name, steps: [step.name], resolved: step, gathered: gathered(key) });
  }
  return [...byKey.values()];
}

/**
 * Images with equal checksums are one build (DESIGN §5): settings that differ only in what the
 * checksum leaves out (`prevent_build_reuse`) give the same image.
 */
function mergeEqualImages(images: ImageDraft[]): ImageDraft[] {
  const out: ImageDraft[] = [];
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
function assertDistinctNames(images: readonly ImageDraft[]): void {
  for (const [i, image] of images.entries()) {
    if (image.action !== 'build') continue;
    const clash = images.slice(i + 1).find((o) => o.action === 'build' && o.imageName === image.imageName);
    if (clash) {
      throw new StowageError(`images ${image.key} and ${clash.key} are different but would both be named ${image.imageName}`, {
        code: 'SETTINGS_INVALID',
        ...locationOf(clash.resolved.origins.of('image_tag')),
        hint: 'an image_tag set for the pipeline applies to every step with its own settings: give those steps their own image_tag (or target_repository)',
      });
    }
  }
}
