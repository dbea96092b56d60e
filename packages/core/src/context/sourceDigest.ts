import { createHash } from 'node:crypto';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import type { FileDigestCache } from './FileDigestCache.js';
import { hashLargeContextFile, hashSmallContextFile, isSmallContextFile } from './hashContextFile.js';
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
  for (const entry of selection.entries) {
    const body = entry.type === 'file' ? await fileDigest(entry, opts.cache) : entry.type === 'symlink' ? (entry.linkTarget ?? '') : '';
    if (opts.files && entry.type !== 'directory') opts.files.set(entry.path, entry.type === 'file' ? body : `symlink:${body}`);
    digest.update(`${JSON.stringify([entry.path, entry.type, normalisedMode(entry.type, entry.mode), body])}\n`);
  }
  return `sha256:${digest.digest('hex')}`;
}

async function fileDigest(entry: ContextEntry, cache: FileDigestCache | undefined): Promise<string> {
  const cached = cache?.lookup(entry);
  if (cached !== undefined) return cached;
  const { digest, stats } = isSmallContextFile(entry) ? hashSmallContextFile(entry) : await hashLargeContextFile(entry);
  cache?.remember(entry, stats, digest);
  return digest;
}
