import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './measure.mjs';

/** The source file the one-file scenario edits (relative to the code's root). */
export const EDITED_FILE = join('src', 'pkg042', 'mod7.py');

/** A real one-file code change: appends a line with a new counter value to `EDITED_FILE` under `codeRoot`. */
export function oneFileEditor(codeRoot) {
  let n = 0;
  return () => appendFileSync(join(codeRoot, EDITED_FILE), `bench_edit = ${++n}\n`);
}

const COPY_CODE = 'COPY stowage_code/ ./';

/**
 * The Dockerfile of a full `docker build` of the image (dependencies and code): the plan's generated
 * Dockerfile as it is when it copies the code, else (a plan that builds only a dependency image and
 * adds the code another way) that Dockerfile with `COPY stowage_code/ ./` where the generator puts
 * it: after the last requirements install.
 */
export function fullDockerfile(dockerfile) {
  const lines = dockerfile.split('\n');
  if (lines.some((l) => /^COPY\s+stowage_code\/?\s/.test(l))) return dockerfile;
  const last = lines.findLastIndex((l) => /^RUN\s.*\s-r\s+\S+\s*$/.test(l));
  if (last < 0) throw new Error(`the plan's Dockerfile has neither a COPY of stowage_code/ nor a requirements install to put one after:\n${dockerfile}`);
  lines.splice(last + 1, 0, COPY_CODE);
  return lines.join('\n');
}

/**
 * A docker build context shipping what Stowage ships: a copy of the project under stowage_code/
 * (without its .stowage folder), the plan's requirement files and `dockerfile`.
 */
export function writeDockerContext(ctx, project, { requirementFiles, dockerfile }) {
  mkdirSync(ctx, { recursive: true });
  run('cp', ['-a', project, join(ctx, 'stowage_code')]);
  rmSync(join(ctx, 'stowage_code', '.stowage'), { recursive: true, force: true });
  for (const r of requirementFiles) writeFileSync(join(ctx, r.name), r.content);
  writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
}
