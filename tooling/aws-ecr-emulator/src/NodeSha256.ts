import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/**
 * The `Checksum` constructor `@smithy/signature-v4` asks for (SHA-256, or HMAC-SHA256 with a
 * secret), on node:crypto — the SDK itself uses `@aws-crypto/sha256-js`; the digests are the same.
 */
export class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret?: string | Uint8Array;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined ? undefined : bytesOf(secret);
    this.hash = this.fresh();
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function bytesOf(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}
