import { createGzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { StowageError, type ArtifactStore } from '@stowage/plugin-api';
import type { StageContextStep } from '../model/plan.js';
import type { ExecutionContext } from './ExecutionContext.js';
import { assertPlannedLocation } from './assertPlannedLocation.js';
import { openBuildContext } from './openBuildContext.js';

/**
 * Uploads a build's deterministic context for a remote builder, in the format it reads (the plan
 * has this step only when gather found no context under the build's checksum in the store).
 */
export async function stageContext(step: StageContextStep, store: ArtifactStore, ctx: ExecutionContext): Promise<void> {
  assertPlannedLocation(store, step.key, step.destination);
  const context = await openBuildContext(step.context);
  ctx.emit({ type: 'image-event', key: step.image, event: { type: 'status', message: `staging the build context at ${step.destination}` } });
  await store.put(step.key, encode(context.open(), step.format), { contentType: step.format === 'tar' ? 'application/x-tar' : 'application/gzip', signal: ctx.signal });
}

function encode(tar: Readable, format: StageContextStep['format']): Readable {
  if (format === 'tar') return tar;
  if (format === 'tar.gz') return pipeline(tar, createGzip({ level: 6 }), () => undefined);
  throw new StowageError(`context format ${format} is not supported by this Stowage`, { code: 'CAPABILITY_MISSING' });
}
