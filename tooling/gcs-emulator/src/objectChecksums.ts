import { createHash } from 'node:crypto';
import { crc32c } from '@aws-crypto/crc32c';

/** The two checksums GCS keeps for every object, as its JSON API spells them (base64). */
export interface ObjectChecksums {
  /** CRC32C (Castagnoli), the big-endian 4 bytes in base64. */
  crc32c: string;
  /** MD5 digest in base64. */
  md5Hash: string;
}

export function checksumsOf(data: Uint8Array): ObjectChecksums {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(data) >>> 0);
  return { crc32c: crc.toString('base64'), md5Hash: createHash('md5').update(data).digest('base64') };
}

/** `x-goog-hash: crc32c=…,md5=…`: what GCS sends with media and accepts with uploads. */
export function googHashHeader(checksums: ObjectChecksums): string {
  return `crc32c=${checksums.crc32c},md5=${checksums.md5Hash}`;
}

/** The checksums an `X-Goog-Hash` request header announces (either may be missing). */
export function parseGoogHash(header: string | string[] | undefined): Partial<ObjectChecksums> {
  const announced: Partial<ObjectChecksums> = {};
  for (const pair of [header ?? []].flat().join(',').split(',')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const [name, value] = [pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim()];
    if (name === 'crc32c') announced.crc32c = value;
    if (name === 'md5') announced.md5Hash = value;
  }
  return announced;
}

/** What GCS answers when an upload's announced checksum is not the data's, or undefined when they agree. */
export function checksumMismatch(announced: Partial<ObjectChecksums>, actual: ObjectChecksums): string | undefined {
  if (announced.crc32c !== undefined && announced.crc32c !== actual.crc32c) {
    return `Provided CRC32C "${announced.crc32c}" doesn't match calculated CRC32C "${actual.crc32c}".`;
  }
  if (announced.md5Hash !== undefined && announced.md5Hash !== actual.md5Hash) {
    return `Provided MD5 hash "${announced.md5Hash}" doesn't match calculated MD5 hash "${actual.md5Hash}".`;
  }
  return undefined;
}
