import { BOOTSTRAP_PATH_IN_IMAGE, CODE_ENV, STOWAGE_BOOTSTRAP_PY } from '../bootstrap/stowageBootstrap.js';
import type { BuildImage, LaunchSpec } from '../model/PipelineBuild.js';
import type { BuildPlan, PlannedImage } from '../model/plan.js';

type CodeLaunch = NonNullable<LaunchSpec['code']>;
type LaunchInputs = Pick<BuildPlan, 'images' | 'commands' | 'codeDownload' | 'codeCommit' | 'codeArchive'>;

/**
 * How to start each step's container (recorded with the build): its image, its command — wrapped
 * by the code bootstrap when the code is downloaded — and the run-time environment the bootstrap
 * reads. Secrets appear only as the names of the variables that hold them.
 */
export function launchSpecs(plan: LaunchInputs, images: readonly BuildImage[]): Record<string, LaunchSpec> {
  const out: Record<string, LaunchSpec> = {};
  for (const image of plan.images) {
    const recorded = images.find((i) => i.key === image.key);
    for (const step of image.steps) out[step] = launchSpec(plan, image, recorded?.imageReference ?? image.imageName, plan.commands[step] ?? null);
  }
  return out;
}

function launchSpec(plan: LaunchInputs, image: PlannedImage, reference: string, command: string[] | null): LaunchSpec {
  const code = codeLaunch(plan, image);
  if (!code) return { image: reference, command, environment: {}, secretEnvironment: [] };
  // A built image carries the bootstrap; a parent used as-is (skip_build) gets it inline.
  const bootstrap = image.action === 'skip-build' ? ['python3', '-c', STOWAGE_BOOTSTRAP_PY] : ['python3', BOOTSTRAP_PATH_IN_IMAGE];
  return { image: reference, command: [...bootstrap, ...(command ?? [])], environment: codeEnvironment(code), secretEnvironment: code.source === 'code-repository' && code.auth ? [code.auth.tokenEnv] : [], code };
}

function codeLaunch(plan: LaunchInputs, image: PlannedImage): CodeLaunch | undefined {
  if (image.code.strategy === 'code-repository' && plan.codeDownload && plan.codeCommit) {
    const { spec, repository } = plan.codeDownload;
    return { source: 'code-repository', repository, commit: plan.codeCommit, url: spec.url, format: spec.format, strip: spec.stripComponents, subdirectory: spec.subdirectory, auth: spec.auth };
  }
  if (image.code.strategy === 'artifact-store' && plan.codeArchive) {
    const { uri, key, digest } = plan.codeArchive;
    return { source: 'artifact-store', uri, key, sha256: digest.replace(/^sha256:/, ''), format: 'tar.gz' };
  }
  return undefined;
}

/** The bootstrap's variables that are known when building (an artifact-store URL is presigned at launch). */
export function codeEnvironment(code: CodeLaunch): Record<string, string> {
  if (code.source === 'artifact-store') return { [CODE_ENV.format]: code.format, [CODE_ENV.sha256]: code.sha256 };
  const env: Record<string, string> = { [CODE_ENV.url]: code.url, [CODE_ENV.format]: code.format, [CODE_ENV.strip]: String(code.strip) };
  if (code.subdirectory) env[CODE_ENV.subdir] = code.subdirectory;
  if (code.auth) Object.assign(env, { [CODE_ENV.authHeader]: code.auth.header, [CODE_ENV.authPrefix]: code.auth.prefix, [CODE_ENV.authEnv]: code.auth.tokenEnv });
  return env;
}
