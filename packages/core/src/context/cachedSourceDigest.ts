import type { ContextSelection } from './ContextSelection.js';
import { FileDigestCache } from './FileDigestCache.js';
import { sourceDigest } from './sourceDigest.js';

/**
 * `sourceDigest` of a selection with the per-file digest cache of `stateDir` (the project's
 * `.stowage` folder): unchanged files are stat'ed, not read, and the cache is saved afterwards.
 * `now` (ms since the epoch) is when the run starts reading: tests move it to a later second.
 * `files` collects each file's digest by path (`SourceDigestOptions.files`).
 */
export async function cachedSourceDigest(selection: ContextSelection, stateDir: string, now = Date.now(), files?: Map<string, string>): Promise<string> {
  const cache = FileDigestCache.open(stateDir, selection.root, selection.dockerignoreFile, now);
  const digest = await sourceDigest(selection, { cache, files });
  await cache.save();
  return digest;
}
