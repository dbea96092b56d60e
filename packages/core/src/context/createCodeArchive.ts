import { createHash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ContextSelection } from './ContextSelection.js';
import { createContextArchive } from './createContextArchive.js';

/**
 * The code archive: the deterministic tar of the selection, gzipped (zlib writes no timestamp or
 * name into the header, so the same files always give the same bytes and the same digest).
 */
export function createCodeArchive(selection: ContextSelection): Readable {
  return pipeline(createContextArchive({ selection }), createGzip({ level: 6 }), () => undefined);
}

/** `sha256:<hex>` of the code archive's bytes: what the in-image bootstrap verifies. */
export async function digestCodeArchive(selection: ContextSelection): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createCodeArchive(selection)) hash.update(chunk as Uint8Array);
  return `sha256:${hash.digest('hex')}`;
}
