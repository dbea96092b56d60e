import { createHash } from 'node:crypto';
import type { ContextArchiveOptions } from './ContextSelection.js';
import { createContextArchive } from './createContextArchive.js';

export interface ContextDigest {
  /** `sha256:<hex>` of the archive bytes. */
  digest: string;
  /** Length of the archive. */
  bytes: number;
}

/** The digest of the exact archive `createContextArchive` would produce, computed as it streams. */
export async function digestContext(opts: ContextArchiveOptions): Promise<ContextDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createContextArchive(opts) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { digest: `sha256:${hash.digest('hex')}`, bytes };
}
