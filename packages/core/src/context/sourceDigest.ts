import { createHash } from 'node:crypto';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import type { FileDigestCache } from './FileDigestCache.js';
import { hashLargeContextFile, hashLargeContextFileIn, hashSmallContextFile, isSmallContextFile, type ContextFileHash } from './hashContextFile.js';
import { Sha256Worker, WORKER_WORTHWHILE_BYTES } from './hashInWorker.js';
import { normalisedMode } from './normalisedMode.js';

export interface SourceDigestOptions {
  /** Per-file digests kept between runs: files whose stats are unchanged are not read again. */
  cache?: FileDigestCache;
  /** Filled with each file's content sha256 (hex), and each symlink's `symlink:<target>`, by path: what `plan` names when files change. */
  files?: Map<string, string>;
}

/**
 * A digest of what the selection ships, cheaper and steadier than the archive's: one line per entry
 * (path, type, normalised mode, content sha256 or link target), in path order. It changes when a
 * file's content, executable bit, name or presence changes, and ignores mtimes, owners and the root.
 * With a cache, the content sha256 of an unchanged file comes from it: the digest is the same.
 */
export async function sourceDigest(selection: ContextSelection, opts: SourceDigestOptions = {}): Promise<string> {
  const digest = createHash('sha256');
  const large = largeFilesBesideMainThread(selection.entries, opts.cache);
  try {
    // Small files are hashed while the worker hashes the large ones; lines are then taken in path order.
    const bodies: (string | Promise<string>)[] = [];
    for (const entry of selection.entries) {
      const hashing = large?.get(entry);
      if (hashing) bodies.push(fileDigest(entry, opts.cache, hashing));
      else bodies.push(entry.type === 'file' ? await fileDigest(entry, opts.cache, undefined) : entry.type === 'symlink' ? (entry.linkTarget ?? '') : '');
    }
    for (const [i, entry] of selection.entries.entries()) {
      const body = await bodies[i]!;
      if (opts.files && entry.type !== 'directory') opts.files.set(entry.path, entry.type === 'file' ? body : `symlink:${body}`);
      digest.update(`${JSON.stringify([entry.path, entry.type, normalisedMode(entry.type, entry.mode), body])}\n`);
    }
  } finally {
    await large?.close();
  }
  return `sha256:${digest.digest('hex')}`;
}

async function fileDigest(entry: ContextEntry, cache: FileDigestCache | undefined, hashing: Promise<ContextFileHash> | undefined): Promise<string> {
  const cached = hashing ? undefined : cache?.lookup(entry);
  if (cached !== undefined) return cached;
  const { digest, stats } = hashing ? await hashing : isSmallContextFile(entry) ? hashSmallContextFile(entry) : await hashLargeContextFile(entry);
  cache?.remember(entry, stats, digest);
  return digest;
}

interface LargeFileHashes {
  get(entry: ContextEntry): Promise<ContextFileHash> | undefined;
  close(): Promise<void>;
}

/**
 * With a second core and enough uncached large files to pay for a worker's start, the large files
 * are hashed one after another by a worker thread, started now, while the loop hashes the small
 * ones; otherwise undefined (each file is hashed in the loop, as before).
 */
function largeFilesBesideMainThread(entries: readonly ContextEntry[], cache: FileDigestCache | undefined): LargeFileHashes | undefined {
  const large = entries.filter((e) => e.type === 'file' && !isSmallContextFile(e) && cache?.lookup(e) === undefined);
  if (large.reduce((n, e) => n + e.size, 0) < WORKER_WORTHWHILE_BYTES || !Sha256Worker.available()) return undefined;
  const worker = new Sha256Worker();
  const hashes = new Map<ContextEntry, Promise<ContextFileHash>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const entry of large) {
    // One at a time: at most one descriptor open, and the files read in order.
    const hash = previous.then(() => hashLargeContextFileIn(worker, entry));
    hash.catch(() => undefined); // awaited in the loop; a failure is reported there
    hashes.set(entry, hash);
    previous = hash.catch(() => undefined);
  }
  return { get: (entry) => hashes.get(entry), close: () => worker.close() };
}
