import { createHash } from 'node:crypto';
import { closeSync, createReadStream, readFileSync, type BigIntStats } from 'node:fs';
import { toStowageError } from '@stowage/plugin-api';
import type { ContextEntry } from './ContextSelection.js';
import type { Sha256Worker } from './hashInWorker.js';
import { openContextFileWithStats } from './openContextFile.js';
import { SMALL_FILE_BYTES } from './smallFileContents.js';

/** Large files are streamed in chunks this big: fewer, larger reads keep hashing near disk speed. */
const STREAM_CHUNK_BYTES = 256 * 1024;

export interface ContextFileHash {
  /** sha256 hex of the content. */
  digest: string;
  /**
   * The stats of the opened file, taken before its content was read. An edit after that changes
   * them unless it lands in the same timestamp tick, which the cache's racy guard catches.
   */
  stats: BigIntStats;
}

/** Whether an entry is hashed with `hashSmallContextFile` (read whole) rather than streamed. */
export function isSmallContextFile(entry: ContextEntry): boolean {
  return entry.size <= SMALL_FILE_BYTES;
}

/**
 * The sha256 of a small context file, read whole and synchronously: a source tree is thousands of
 * tiny files, and thread-pool round trips cost more than the reads.
 */
export function hashSmallContextFile(entry: ContextEntry): ContextFileHash {
  return withContextFile(entry, (fd, stats) => ({ digest: createHash('sha256').update(readFileSync(fd)).digest('hex'), stats }));
}

/**
 * The sha256 of a large context file, streamed in large chunks (never held whole); the reads run
 * in the thread pool.
 */
export async function hashLargeContextFile(entry: ContextEntry): Promise<ContextFileHash> {
  return withContextFile(entry, async (fd, stats) => ({ digest: await streamSha256(fd), stats }));
}

/** The sha256 of a large context file, hashed by `worker` (off the main thread); opened and checked here. */
export async function hashLargeContextFileIn(worker: Sha256Worker, entry: ContextEntry): Promise<ContextFileHash> {
  return withContextFile(entry, async (fd, stats) => ({ digest: await worker.digest(fd), stats }));
}

async function streamSha256(fd: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream('', { fd, autoClose: false, start: 0, highWaterMark: STREAM_CHUNK_BYTES }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

function withContextFile<T>(entry: ContextEntry, use: (fd: number, stats: BigIntStats) => T): T {
  let fd: number | undefined;
  const fail = (error: unknown) =>
    toStowageError(error, {
      code: 'CONTEXT_INVALID',
      file: entry.absolutePath,
      message: `Cannot read ${entry.absolutePath} to digest the build context`,
      hint: `make ${entry.path} readable, or add it to .dockerignore`,
    });
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  try {
    const opened = openContextFileWithStats(entry);
    fd = opened.fd;
    const result = use(fd, opened.stats);
    if (result instanceof Promise) {
      return result.then(
        (value) => (close(), value),
        (error: unknown) => {
          close();
          throw fail(error);
        },
      ) as T;
    }
    close();
    return result;
  } catch (error) {
    close();
    throw fail(error);
  }
}
