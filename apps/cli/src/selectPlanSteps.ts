import { StowageError, suggestClosest, type BuildPlan } from '@stowage/core';

/**
 * The plan cut down to the images the chosen steps run in, and what those images need: the code
 * archive upload only when a kept image downloads code from the artifact store, the code commit
 * only when one downloads from a code repository. Other steps that share a kept image stay
 * mapped to it (their image is built anyway). An earlier or given build is returned whole.
 */
export function selectPlanSteps(plan: BuildPlan, chosen: readonly string[]): BuildPlan {
  if (!chosen.length) return plan;
  assertStepsExist(chosen, Object.keys(plan.steps));
  if (plan.outcome.kind !== 'new-build') return plan;
  const keys = new Set(chosen.map((s) => plan.steps[s]!));
  const images = plan.images.filter((i) => keys.has(i.key));
  const uses = (strategy: string) => images.some((i) => i.code.strategy === strategy);
  const keep = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([step]) => keys.has(plan.steps[step]!)));
  return {
    ...plan,
    steps: keep(plan.steps),
    commands: keep(plan.commands),
    images,
    preSteps: uses('artifact-store') ? plan.preSteps : [],
    codeArchive: uses('artifact-store') ? plan.codeArchive : undefined,
    codeCommit: uses('code-repository') ? plan.codeCommit : undefined,
    codeDownload: uses('code-repository') ? plan.codeDownload : undefined,
  };
}

/**
 * `--step` names checked against the pipeline's steps before anything is planned: USAGE when
 * combined with `--build` (a given build is used whole), STEP_UNKNOWN with a did-you-mean.
 */
export function checkStepOptions(chosen: readonly string[], steps: readonly string[], givenBuild: string | undefined): void {
  if (!chosen.length) return;
  if (givenBuild) {
    throw new StowageError('--step and --build cannot be combined: a given build is used whole', { code: 'USAGE', hint: 'leave out --build to build only some steps, or --step to use the build' });
  }
  assertStepsExist(chosen, steps);
}

function assertStepsExist(chosen: readonly string[], steps: readonly string[]): void {
  for (const step of chosen) {
    if (steps.includes(step)) continue;
    const close = suggestClosest(step, [...steps]);
    throw new StowageError(`--step ${step}: the pipeline has no step named "${step}"`, {
      code: 'STEP_UNKNOWN',
      hint: close.length ? `did you mean "${close[0]}"?` : steps.length ? `steps: ${steps.join(', ')}` : 'this pipeline defines no steps (add them under steps:)',
    });
  }
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
