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
  /** Where containers can download code from on the active stack. */
  code: { repositories: readonly string[]; artifactStore?: { root: string; reachableFromContainers: boolean } };
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
  verifyCodeDownload(build, plan.code);
  return warnings;
}

/**
 * Images that download their code need somewhere to download it from, on this stack (ZenML's
 * `requires_download_from_code_repository` / `code_download_possible`): else the build is rejected.
 */
function verifyCodeDownload(build: PipelineBuild, code: GivenBuildExpectation['code']): void {
  const strategies = new Set(build.images.map((i) => i.codeStrategy));
  const fail = (message: string, hint: string): never => {
    throw new StowageError(`the build ${build.id} ${message}`, { code: 'CODE_UNAVAILABLE', hint });
  };
  if (strategies.has('code-repository')) {
    const repository = build.codeReference?.repository;
    if (!build.codeReference) fail('downloads code from a code repository but records no commit', 'rebuild with a clean, pushed checkout');
    if (!code.repositories.length) fail(`downloads its code from the code repository${repository ? ` ${repository}` : ''} but none is registered here`, 'register it under code_repositories:, or build again without --build');
    if (repository && !code.repositories.includes(repository)) fail(`downloads its code from the code repository ${repository}, which is not registered here (${code.repositories.join(', ')})`, 'register it under code_repositories:, or build again without --build');
  }
  if (strategies.has('artifact-store')) {
    const store = code.artifactStore;
    const archive = build.codeArchive ?? fail('downloads code from the artifact store but records no code archive', 'build again without --build so the code is uploaded');
    const again = 'use the stack it was built on, or build again without --build';
    if (!store?.reachableFromContainers) fail(`downloads its code from an artifact store, and the active stack has ${store ? 'none containers can reach' : 'none'}`, again);
    if (!archive.url.startsWith(`${store!.root.replace(/\/+$/, '')}/`)) fail(`downloads its code from ${archive.url}, outside the active stack's artifact store ${store!.root}`, again);
  }
}
