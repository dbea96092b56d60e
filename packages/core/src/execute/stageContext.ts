import { createGzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import type { ArtifactStore } from '@stowage/plugin-api';
import { createContextZip } from '../context/createContextZip.js';
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
  await store.put(step.key, encode(context.open(), step.format), { contentType: CONTENT_TYPES[step.format], signal: ctx.signal });
}

const CONTENT_TYPES = { tar: 'application/x-tar', 'tar.gz': 'application/gzip', zip: 'application/zip' } as const;

function encode(tar: Readable, format: StageContextStep['format']): Readable {
  if (format === 'tar') return tar;
  if (format === 'tar.gz') return pipeline(tar, createGzip({ level: 6 }), () => undefined);
  return createContextZip(tar);
}
