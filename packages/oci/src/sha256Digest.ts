import { createHash } from 'node:crypto';

/** `sha256:<hex>` of some bytes: the content address of a blob or manifest. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
