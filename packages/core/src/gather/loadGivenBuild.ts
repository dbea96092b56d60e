import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { StowageError } from '@stowage/plugin-api';
import { raiseIssues } from '../config/ConfigIssue.js';
import { issuesFromZod } from '../config/zodIssues.js';
import type { BuildStore } from '../record/BuildStore.js';
import { PipelineBuildSchema, type PipelineBuild } from '../model/PipelineBuild.js';

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

