import type { Readable } from 'node:stream';
import { StowageError } from '@stowage/plugin-api';
import type { RegistryApiClient } from './RegistryApiClient.js';

/** A blob to make present in a repository: sent only if the repository lacks it. */
export interface BlobToPut {
  digest: string;
  size: number;
  /** Its bytes; called for each upload attempt. */
  open(): Readable | Uint8Array | Promise<Readable | Uint8Array>;
}

export interface PutBlobsOptions {
  /** The repository the blobs go to. */
  repository: string;
  /** A repository of the same registry that may have them already: mounted from there, not sent. */
  mountFrom?: string;
  signal?: AbortSignal;
  /** Told each blob once it is in the repository, and whether it had to be sent. */
  onBlob?(blob: BlobToPut, outcome: 'present' | 'uploaded'): void;
}

/** Uploads at once: enough to fill a link with a few layers, few enough not to swamp a registry. */
const PARALLEL_UPLOADS = 3;
/** A second attempt covers a dropped connection or a token that expired mid-upload; a third rarely helps. */
const UPLOAD_ATTEMPTS = 2;

/**
 * Makes blobs present in a repository, up to three at a time, each one HEAD → mount → upload.
 * Returns the bytes sent. The first failure stops the others (their uploads are cancelled, so the
 * registry keeps no partial blob) and is thrown once all have stopped.
 */
export async function putBlobs(client: RegistryApiClient, blobs: readonly BlobToPut[], options: PutBlobsOptions): Promise<number> {
  let sent = 0;
  const unique = [...new Map(blobs.map((b) => [b.digest, b])).values()];
  await forEachConcurrently(unique, PARALLEL_UPLOADS, options.signal, async (blob, signal) => {
    const outcome = await putBlob(client, blob, { ...options, signal });
    if (outcome === 'uploaded') sent += blob.size;
    options.onBlob?.(blob, outcome);
  });
  return sent;
}

async function putBlob(client: RegistryApiClient, blob: BlobToPut, options: PutBlobsOptions & { signal: AbortSignal }): Promise<'present' | 'uploaded'> {
  const { repository, mountFrom, signal } = options;
  if (await client.headBlob(repository, blob.digest, { signal })) return 'present';
  if (mountFrom && mountFrom !== repository && (await client.mountBlob(repository, blob.digest, mountFrom, { signal }))) return 'present';
  for (let attempt = 1; ; attempt++) {
    try {
      await client.uploadBlob(repository, await blob.open(), blob.digest, blob.size, { signal });
      return 'uploaded';
    } catch (error) {
      const retry = attempt < UPLOAD_ATTEMPTS && !signal.aborted && StowageError.isInstance(error) && error.code === 'REGISTRY_FAILED';
      if (!retry) throw error;
    }
  }
}

/** Runs `work` on every item, `limit` at a time; the first failure aborts the rest and is thrown when all have settled. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, outer: AbortSignal | undefined, work: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        signal.throwIfAborted();
        await work(item, signal);
      } catch (error) {
        failure ??= { error: outer?.aborted ? outer.reason : error };
        stop.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
