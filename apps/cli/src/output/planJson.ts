import type { BuildPlan, Redactor } from '@stowage/core';

/**
 * The documented, stable `--json` shape of a plan (see README "stowage plan --json").
 * Credentials are redacted; absolute paths are kept as they are.
 */
export function planJson(plan: BuildPlan, redactor: Redactor): unknown {
  return redactor.redactDeep({
    pipeline: plan.pipeline,
    stack: plan.stack,
    steps: plan.steps,
    images: plan.images.map((image) => ({
      key: image.key,
      steps: image.steps,
      action: image.action,
      parentImage: image.parentImage,
      imageName: image.imageName,
      checksum: image.checksum,
      code: image.code,
      why: image.why,
      reuse: image.reuse ?? null,
      aptPackages: image.aptPackages,
      requirementFiles: image.requirementFiles,
      builds: image.builds.map((b) => ({
        role: b.role,
        imageName: b.imageName,
        dockerfile: b.dockerfile,
        push: b.push,
        platform: b.platform ?? null,
        buildOptions: b.buildOptions,
        checksum: b.checksum,
        context: { root: b.context.root, dockerignore: b.context.dockerignore ?? null, files: b.context.extraFiles.map((f) => f.path) },
      })),
    })),
    warnings: plan.warnings,
  });
}
