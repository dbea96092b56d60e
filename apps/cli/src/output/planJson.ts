import type { BuildPlan, PlanOutcome, PlanStep, Redactor } from '@stowage/core';

/**
 * The documented, stable `--json` shape of a plan (see README "stowage plan --json"): every step
 * the engine takes, per image, with destinations. Credentials are redacted; absolute paths kept.
 */
export function planJson(plan: BuildPlan, redactor: Redactor): unknown {
  return redactor.redactDeep({
    pipeline: plan.pipeline,
    stack: plan.stack,
    steps: plan.steps,
    outcome: outcomeJson(plan.outcome),
    checkout: plan.checkout ?? null,
    codeArchive: plan.codeArchive ?? null,
    preSteps: plan.preSteps.map(stepJson),
    images: plan.images.map((image) => ({
      key: image.key,
      steps: image.steps,
      action: image.action,
      parentImage: image.parentImage,
      imageName: image.imageName,
      checksum: image.checksum,
      code: image.code,
      why: image.why,
      changes: image.changes ?? [],
      reuse: image.reuse ?? null,
      ...(image.dependencies && { dependencies: { imageName: image.dependencies.imageName, checksum: image.dependencies.checksum, reuse: image.dependencies.reuse ?? null } }),
      ...(image.codeDelivery && { codeDelivery: image.codeDelivery }),
      aptPackages: image.aptPackages,
      requirementFiles: image.requirementFiles,
      buildSteps: image.buildSteps.map(stepJson),
    })),
    warnings: plan.warnings,
  });
}

function outcomeJson(o: PlanOutcome): unknown {
  if (o.kind !== 'given-build') return o;
  return { kind: o.kind, buildId: o.buildId, from: o.from, reference: o.reference, save: o.save };
}

const contextJson = (c: { root: string | null; dockerignore?: string; extraFiles: { path: string }[] }) => ({
  root: c.root,
  dockerignore: c.dockerignore ?? null,
  files: c.extraFiles.map((f) => f.path),
});

function stepJson(step: PlanStep): unknown {
  switch (step.kind) {
    case 'docker-build': {
      const { context, checksumInputs: _inputs, ...rest } = step;
      return { ...rest, platform: step.platform ?? null, stagedContext: step.stagedContext ?? null, context: contextJson(context) };
    }
    case 'stage-context':
      return { ...step, context: contextJson(step.context) };
    case 'append-layer': {
      const { context, checksumInputs: _inputs, cacheDir: _cacheDir, ...rest } = step;
      return { ...rest, user: step.user ?? null, created: step.created ?? null, context: { root: context.root, dockerignore: context.dockerignore ?? null } };
    }
    case 'upload-code-archive': {
      const { exclude: _exclude, ...rest } = step;
      return rest;
    }
    default:
      return step;
  }
}
