import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code (a CommonJS script, so that it runs from the CLI bundle as well as from the
 * sources): reads a file descriptor the main thread opened and checked, hashing it in 1 MiB reads.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, fd }) => {
  try {
    const hash = createHash('sha256');
    let position = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      position += n;
    }
    parentPort.postMessage({ id, digest: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error : new Error(String(error)) });
  }
});
`;

/** Large files (bytes, uncached) a digest must read before hashing them beside the main thread pays for the worker's start. */
export const WORKER_WORTHWHILE_BYTES = 32 * 1024 * 1024;

/**
 * One worker thread that hashes large files while the main thread hashes the small ones: on a
 * cold tree (the first plan of a checkout) the content of data files and of sources is hashed on
 * two cores, as `tar | sha256sum` pipes across two processes. Files go one at a time, in order;
 * the descriptor stays the caller's (opened with its checks, closed by it after the answer).
 */
export class Sha256Worker {
  private worker: Worker | undefined;
  private closed = false;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (digest: string) => void; reject: (error: Error) => void }>();

  /** Whether a second core is there to hash on. */
  static available(): boolean {
    return availableParallelism() > 1;
  }

  digest(fd: number): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the hashing worker was closed'));
    const worker = this.start();
    const id = this.next++;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, fd });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // Never what keeps the process alive (a cancelled digest must not hang the CLI).
    worker.unref();
    worker.on('message', ({ id, digest, error }: { id: number; digest?: string; error?: Error }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error || digest === undefined) waiting?.reject(error ?? new Error('the hashing worker gave no digest'));
      else waiting?.resolve(digest);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('the hashing worker stopped')));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
