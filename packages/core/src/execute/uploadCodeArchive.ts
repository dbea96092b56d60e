import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StowageError, type ArtifactStore } from '@stowage/plugin-api';
import { createCodeArchive } from '../context/createCodeArchive.js';
import { selectCodeArchiveFiles } from '../context/selectCodeArchiveFiles.js';
import type { UploadCodeArchiveStep } from '../model/plan.js';
import type { ExecutionContext } from './ExecutionContext.js';
import { assertPlannedLocation } from './assertPlannedLocation.js';

/**
 * Uploads the source root as the deterministic archive the plan named by its digest. The archive
 * is written to a temporary file and hashed first: if the code changed since it was planned the
 * build fails before anything is sent, so no object is ever stored under another archive's name.
 */
export async function uploadCodeArchive(step: UploadCodeArchiveStep, store: ArtifactStore, ctx: ExecutionContext): Promise<void> {
  assertPlannedLocation(store, step.key, step.destination);
  const dir = await mkdtemp(join(tmpdir(), 'stowage-code-'));
  try {
    const file = join(dir, 'code.tar.gz');
    const digest = await writeArchive(step, file, ctx);
    if (digest !== step.digest) {
      throw new StowageError('the source files changed while the build ran: the code archive no longer matches the plan', { code: 'BUILD_FAILED', hint: 'run the build again' });
    }
    const { size } = await stat(file);
    await store.put(step.key, createReadStream(file), { size, contentType: 'application/gzip', signal: ctx.signal });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the archive to `file`, returning the `sha256:` digest of its bytes. */
async function writeArchive(step: UploadCodeArchiveStep, file: string, ctx: ExecutionContext): Promise<string> {
  const selection = await selectCodeArchiveFiles(step.root, step.selection, step.exclude, ctx.runner);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createCodeArchive(selection), hashing, createWriteStream(file), { signal: ctx.signal });
  return `sha256:${hash.digest('hex')}`;
}
