import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { issuesFromZod } from '../config/zodIssues.js';
import { raiseIssues } from '../config/ConfigIssue.js';
import type { Warning } from '@stowage/plugin-api';
import { StowageError } from '@stowage/plugin-api';
import { digestOf } from '../plan/checksum.js';
import type { BuildPlan } from '../plan/types.js';
import type { BuildStore } from './BuildStore.js';
import { PipelineBuildSchema, type PipelineBuild } from './PipelineBuild.js';

/**
 * `--build ID|FILE` (relative to `baseDir`: the CWD on the command line, the config folder for
 * the `build:` key): a build id (or unique prefix) from the store, or a build YAML/JSON file.
 */
export async function loadGivenBuild(value: string, store: BuildStore, baseDir: string): Promise<{ build: PipelineBuild; fromFile: boolean }> {
  const file = resolve(baseDir, value);
  if (!existsSync(file)) return { build: await store.get(value), fromFile: false };
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new StowageError(`cannot read the build file: ${(cause as Error).message}`, { code: 'BUILD_INVALID', file: value, cause });
  }
  const parsed = PipelineBuildSchema.safeParse(raw);
  if (!parsed.success) raiseIssues(issuesFromZod(parsed.error, PipelineBuildSchema, raw), { file: value }, 'BUILD_INVALID');
  return { build: parsed.data, fromFile: true };
}

/** The checksum a build of this plan would get (over image keys and checksums, in order). */
export function planChecksum(plan: BuildPlan): string {
  return digestOf(plan.images.map((i) => [i.key, i.checksum]));
}

/**
 * Checks a given build against the current plan (ZenML's `verify_custom_build`): warnings for a
 * different stack, code baked into images, checksum drift and local images; an error when a step
 * has no image or when its code can no longer be downloaded.
 */
export function verifyGivenBuild(build: PipelineBuild, plan: BuildPlan): Warning[] {
  const warnings: Warning[] = [];
  const warn = (message: string) => warnings.push({ message: `build ${build.id}: ${message}` });
  if (build.pipeline !== plan.pipeline) warn(`it was made for pipeline "${build.pipeline}", not "${plan.pipeline}"`);
  if (build.stack.name !== plan.stack.name) warn(`it was made on stack "${build.stack.name}", the active stack is "${plan.stack.name}"`);
  if (build.containsCode) warn('its images contain code: the code baked into them will run, not your local code');
  if (build.checksum !== planChecksum(plan)) warn('its checksum differs from the current configuration: it may be outdated');
  if (build.isLocal) warn('it was built without a registry: its images may not exist on other machines');
  for (const step of Object.keys(plan.steps)) {
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
