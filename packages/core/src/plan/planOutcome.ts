import type { BuildPlan, PlanInputs, PlanOutcome } from '../model/plan.js';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { digestOf } from '../model/checksum.js';
import { launchSpecs } from './launchSpecs.js';
import { planChecksum } from './verifyGivenBuild.js';

type Draft = Omit<BuildPlan, 'outcome'>;

/**
 * Nothing to build and nothing to upload, and an earlier build of this pipeline on this stack has
 * exactly these images (same keys, steps, checksums and references, same code): that build is the
 * answer, and no new record is written — repeated builds do not pile up identical records.
 */
export function planOutcome(inputs: PlanInputs, plan: Draft): PlanOutcome {
  const builds = plan.images.some((i) => i.action === 'build' || i.reuse?.retag);
  if (builds || plan.preSteps.length) return { kind: 'new-build' };
  const same = inputs.previousBuilds.find((b) => isSameBuild(b, plan));
  return same ? { kind: 'existing-build', buildId: same.id } : { kind: 'new-build' };
}

function isSameBuild(build: PipelineBuild, plan: Draft): boolean {
  if (build.pipeline !== plan.pipeline || build.stack.name !== plan.stack.name || build.stack.checksum !== plan.stack.checksum) return false;
  if (build.codeArchive?.digest !== plan.codeArchive?.digest || build.codeReference?.commit !== plan.codeCommit) return false;
  if (build.checksum !== planChecksum(plan.images) || build.images.length !== plan.images.length) return false;
  // Same images, but steps launched differently (a changed command, another download spec): a new record.
  if (!build.launch || digestOf(launchSpecs(plan, build.images)) !== digestOf(build.launch)) return false;
  return plan.images.every((i) =>
    build.images.some((b) => b.key === i.key && b.checksum === i.checksum && sameSteps(b.steps, i.steps) && (i.action !== 'reuse' || b.imageReference === i.imageName)),
  );
}

function sameSteps(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}
