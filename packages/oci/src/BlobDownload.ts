import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { StowageError } from '@stowage/plugin-api';
import { describeFetchError, registryFailure } from './registryFailure.js';

/**
 * A blob download's timer and cancel switch. A blob may take far longer than one request's timeout
 * to arrive, so instead of a deadline the download is aborted when the registry (or its storage
 * backend) sends nothing — no headers, then no bytes — for `idleMs` (undici's headers/body timeouts).
 */
export class BlobDownload {
  private readonly stop = new AbortController();
  private readonly timer: NodeJS.Timeout;
  /** For the requests: aborts on the caller's signal or when the download stalls. */
  readonly signal: AbortSignal;

  constructor(
    private readonly check: { digest: string; maxBytes?: number; idleMs: number; what: string; origin: string },
    private readonly outer?: AbortSignal,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.stop.signal]) : this.stop.signal;
    const stalled = () => this.stop.abort(registryFailure(`${check.what}: ${check.origin} sent nothing for ${check.idleMs / 1000} s`));
    this.timer = setTimeout(stalled, check.idleMs);
  }

  /** Refuses a blob the registry announces as larger than allowed, before reading it. */
  checkLength(contentLength: string | null): void {
    const declared = Number(contentLength ?? Number.NaN);
    if (this.check.maxBytes !== undefined && declared > this.check.maxBytes) throw this.tooLarge();
  }

  /** The body as a stream that fails unless its bytes hash to the digest and stay within maxBytes. */
  verify(body: WebReadableStream<Uint8Array>): Readable {
    const source = Readable.fromWeb(body);
    const verified = new VerifiedBlob(this, this.check);
    source.on('error', (error) => verified.destroy(this.explain(error) as Error));
    verified.on('close', () => {
      this.finish();
      source.destroy();
    });
    return source.pipe(verified);
  }

  touch(): void {
    this.timer.refresh();
  }

  finish(): void {
    clearTimeout(this.timer);
  }

  tooLarge(): StowageError {
    return registryFailure(`${this.check.what}: it has more than the ${this.check.maxBytes} bytes expected`);
  }

  /** The caller's abort reason as is; a stall as said; a broken connection as a registry failure. */
  private explain(error: unknown): unknown {
    if (this.outer?.aborted) return this.outer.reason;
    if (this.stop.signal.aborted) return this.stop.signal.reason;
    if (StowageError.isInstance(error)) return error;
    return registryFailure(`${this.check.what}: the download broke off: ${describeFetchError(error, this.check.idleMs)}`, { cause: error });
  }
}

class VerifiedBlob extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;

  constructor(
    private readonly download: BlobDownload,
    private readonly check: { digest: string; maxBytes?: number; what: string; origin: string },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.download.touch();
    this.bytes += chunk.length;
    if (this.check.maxBytes !== undefined && this.bytes > this.check.maxBytes) return callback(this.download.tooLarge());
    this.hash.update(chunk);
    callback(null, chunk);
  }

  // Content addressing: what is served under a digest must hash to it.
  override _flush(callback: TransformCallback): void {
    this.download.finish();
    const digest = `sha256:${this.hash.digest('hex')}`;
    if (digest === this.check.digest) return callback();
    callback(registryFailure(`${this.check.what}: ${this.check.origin} served content whose digest is ${digest}`));
  }
}
