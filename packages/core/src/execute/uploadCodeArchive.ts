import { createHash } from 'node:crypto';
import { Transform, pipeline } from 'node:stream';
import { StowageError, type ArtifactStore } from '@stowage/plugin-api';
import { createContextArchive } from '../context/createContextArchive.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import type { UploadCodeArchiveStep } from '../model/plan.js';
import type { ExecutionContext } from './ExecutionContext.js';
import { assertPlannedLocation } from './assertPlannedLocation.js';

/**
 * Uploads the source root as the deterministic archive the plan named by its digest. The bytes
 * are hashed as they go: if the code changed since it was planned, the object is removed again
 * and the build fails, so no archive is ever stored under another archive's name.
 */
export async function uploadCodeArchive(step: UploadCodeArchiveStep, store: ArtifactStore, ctx: ExecutionContext): Promise<void> {
  assertPlannedLocation(store, step.key, step.destination);
  const selection = await selectSourceFiles(step.root, null, step.exclude);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const tee = pipeline(createContextArchive({ selection }), hashing, () => undefined);
  ctx.emit({ type: 'image-event', key: 'code', event: { type: 'status', message: `uploading the code to ${step.destination}` } });
  await store.put(step.key, tee, { contentType: 'application/x-tar' });
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest !== step.digest) {
    await store.delete(step.key).catch(() => undefined);
    throw new StowageError('the source files changed while the build ran: the code archive no longer matches the plan', {
      code: 'BUILD_FAILED',
      hint: 'run the build again',
    });
  }
}
