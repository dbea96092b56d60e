import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { raiseIssues } from '../config/ConfigIssue.js';
import { parseYamlBytes } from '../config/yamlSource.js';
import { issuesFromZod } from '../config/zodIssues.js';
import { readRegularFile } from '../files/readRegularFile.js';
import type { BuildStore } from '../record/BuildStore.js';
import { PipelineBuildSchema, type PipelineBuild } from '../model/PipelineBuild.js';

/**
 * `--build ID|FILE` (relative to `baseDir`: the CWD on the command line, the config folder for
 * the `build:` key): a build id (or unique prefix) from the store, or a build YAML/JSON file —
 * a regular file of bounded size, parsed with the config's YAML checks (no alias bombs), whose id
 * is checked before it names anything.
 */
export async function loadGivenBuild(value: string, store: BuildStore, baseDir: string): Promise<{ build: PipelineBuild; fromFile: boolean }> {
  const file = resolve(baseDir, value);
  if (!existsSync(file)) return { build: await store.get(value), fromFile: false };
  const bytes = readRegularFile(file, { what: 'the build file', display: value, code: 'BUILD_INVALID', hint: 'pass a build YAML file written by `stowage build -o`, or a build id' });
  const { value: raw, source } = parseYamlBytes(bytes, value);
  const parsed = PipelineBuildSchema.safeParse(raw);
  if (!parsed.success) raiseIssues(issuesFromZod(parsed.error, PipelineBuildSchema, raw), source, 'BUILD_INVALID');
  return { build: parsed.data, fromFile: true };
}
