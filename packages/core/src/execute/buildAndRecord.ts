import { StowageError } from '@stowage/plugin-api';
import type { BuildPlan, PlanStack } from '../model/plan.js';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { planChecksum } from '../plan/verifyGivenBuild.js';
import type { BuildStore } from '../record/BuildStore.js';
import { ImageTimings } from '../record/imageTimings.js';
import { recordBuild } from '../record/recordBuild.js';
import type { Redactor } from '../settings/Redactor.js';
import type { StackComponents } from '../stack/openStack.js';
import { checkRegistryAccess } from './checkRegistryAccess.js';
import type { ExecuteOptions, PlanExecutor } from './executePlan.js';

export interface BuildOptions extends ExecuteOptions {
  /** `--prevent-build-reuse`: a build of the same images made meanwhile by another process is not reused. */
  preventBuildReuse?: boolean;
}

export interface BuildResult {
  build: PipelineBuild;
  /** False when an existing or given build was returned as-is. */
  created: boolean;
  builtImages: number;
  /** The build another `stowage build` of the same images recorded while this one waited for it. */
  madeConcurrently?: boolean;
}

/** What building a plan needs; the stack is opened only when the plan builds. */
export interface BuildRunDeps {
  builds: BuildStore;
  redactor: Redactor;
  toolVersion: string;
  openStack(): { executor: PlanExecutor; components: StackComponents; snapshot: PlanStack };
}

/**
 * Takes exactly the plan's steps, then records the build (or returns the existing or given one).
 * Before anything is built or pushed: the build store must be writable and the registry must
 * answer with the stack's login. Builds of the same plan checksum run one at a time (a lock in
 * the store): a later one reuses what the first recorded. A cancel at any point before the record
 * is renamed into place records nothing.
 */
export async function buildAndRecord(plan: BuildPlan, d: BuildRunDeps, o: BuildOptions = {}): Promise<BuildResult> {
  const outcome = plan.outcome;
  if (outcome.kind === 'existing-build') return { build: await d.builds.get(outcome.buildId), created: false, builtImages: 0 };
  if (outcome.kind === 'given-build') {
    if (outcome.save) await d.builds.save(outcome.build, { signal: o.signal });
    return { build: outcome.build, created: false, builtImages: 0 };
  }
  const { executor, components, snapshot } = d.openStack();
  await beforeBuilding(o.signal, async () => {
    o.signal?.throwIfAborted();
    await d.builds.checkWritable();
    await checkRegistryAccess(plan, components, { signal: o.signal });
  });
  const checksum = planChecksum(plan.images);
  const known = new Set((await d.builds.list()).map((b) => b.id));
  const lock = await d.builds.lock(checksum, { signal: o.signal, onWait: (holder) => waiting(plan, holder.pid, o) });
  try {
    const made = reusable(plan, o) ? await madeMeanwhile(plan, checksum, known, d.builds) : undefined;
    if (made) return { build: made, created: false, builtImages: 0, madeConcurrently: true };
    const started = Date.now();
    const timings = new ImageTimings();
    const results = await executor.execute(plan, { ...o, onEvent: timings.follow(o.onEvent) });
    const record = recordBuild({
      id: d.builds.newId(),
      plan,
      stack: snapshot,
      results,
      redactor: d.redactor,
      toolVersion: d.toolVersion,
      seconds: (Date.now() - started) / 1000,
      created: new Date(),
      imageSeconds: timings.seconds(),
    });
    await d.builds.save(record, { signal: o.signal, afterBuild: true });
    return { build: record, created: true, builtImages: plan.images.filter((i) => i.action === 'build').length };
  } finally {
    await lock.release();
  }
}

/** Runs the pre-build checks; a cancel while they run is a cancelled build, not their failure. */
async function beforeBuilding(signal: AbortSignal | undefined, checks: () => Promise<void>): Promise<void> {
  try {
    await checks();
  } catch (error) {
    if (signal?.aborted) throw new StowageError('build cancelled; nothing was recorded', { code: 'BUILD_CANCELLED', cause: error });
    throw error;
  }
}

/** Reuse was not ruled out: no `--prevent-build-reuse` (the planner's reason on each built image), no `prevent_build_reuse`. */
function reusable(plan: BuildPlan, o: BuildOptions): boolean {
  return !o.preventBuildReuse && plan.images.every((i) => !i.settings.prevent_build_reuse && !i.why.includes('--prevent-build-reuse'));
}

/** A build of exactly this plan on this stack that another process recorded since this one listed the store. */
async function madeMeanwhile(plan: BuildPlan, checksum: string, known: ReadonlySet<string>, builds: BuildStore): Promise<PipelineBuild | undefined> {
  builds.refresh();
  return (await builds.list()).find(
    (b) => !known.has(b.id) && b.checksum === checksum && b.pipeline === plan.pipeline && b.stack.name === plan.stack.name && b.stack.checksum === plan.stack.checksum,
  );
}

function waiting(plan: BuildPlan, pid: number, o: BuildOptions): void {
  const key = plan.images[0]?.key;
  if (!key) return;
  const message = `waiting for another stowage build of the same images (process ${pid}) to finish`;
  o.onEvent?.({ type: 'image-event', key, event: { type: 'status', message } });
}
