import type { Warning } from '@stowage/plugin-api';
import { StowageError } from '@stowage/plugin-api';
import { digestOf } from '../model/checksum.js';
import type { PipelineBuild } from '../model/PipelineBuild.js';

/** The checksum a build of these images gets (over image keys and checksums, in order). */
export function planChecksum(images: readonly { key: string; checksum: string }[]): string {
  return digestOf(images.map((i) => [i.key, i.checksum]));
}

/** What a given build is checked against: the plan the current config would make. */
export interface GivenBuildExpectation {
  pipeline: string;
  stack: string;
  pipelineSteps: readonly string[];
  images: readonly { key: string; checksum: string }[];
}

/**
 * Checks a given build against the current plan (ZenML's `verify_custom_build`): warnings for a
 * different stack, code baked into images, checksum drift and local images; an error when a step
 * has no image or when its code can no longer be downloaded.
 */
export function verifyGivenBuild(build: PipelineBuild, plan: GivenBuildExpectation): Warning[] {
  const warnings: Warning[] = [];
  const warn = (message: string) => warnings.push({ message: `build ${build.id}: ${message}` });
  if (build.pipeline !== plan.pipeline) warn(`it was made for pipeline "${build.pipeline}", not "${plan.pipeline}"`);
  if (build.stack.name !== plan.stack) warn(`it was made on stack "${build.stack.name}", the active stack is "${plan.stack}"`);
  if (build.containsCode) warn('its images contain code: the code baked into them will run, not your local code');
  if (build.checksum !== planChecksum(plan.images)) warn('its checksum differs from the current configuration: it may be outdated');
  if (build.isLocal) warn('it was built without a registry: its images may not exist on other machines');
  for (const step of plan.pipelineSteps) {
    const covered = build.images.some((i) => i.steps.includes(step));
    if (!covered) {
      throw new StowageError(`the build ${build.id} is missing an image for step "${step}"`, {
        code: 'BUILD_INVALID',
        hint: 'build again without --build, or pass a build made for this pipeline',
      });
    }
  }
  if (!build.images.length) throw new StowageError(`the build ${build.id} has no images`, { code: 'BUILD_INVALID' });
  // Images that download their code need somewhere to download it from (ZenML's code_download_possible).
  const strategies = new Set(build.images.map((i) => i.codeStrategy));
  if (strategies.has('code-repository') && !build.codeReference) {
    throw new StowageError(`the build ${build.id} downloads code from a code repository but records no commit`, {
      code: 'CODE_UNAVAILABLE',
      hint: 'rebuild with a clean, pushed checkout',
    });
  }
  if (strategies.has('artifact-store') && !build.codeArchive) {
    throw new StowageError(`the build ${build.id} downloads code from the artifact store but records no code archive`, {
      code: 'CODE_UNAVAILABLE',
      hint: 'build again without --build so the code is uploaded',
    });
  }
  return warnings;
}
