import type { ContextSelection } from './ContextSelection.js';

/** A folder as gather walked and digested it: its selection, each file's content digest, and the digest over them. */
export interface SourceSnapshot {
  selection: ContextSelection;
  /** Content sha256 (hex) by path, `symlink:<target>` for links (sourceDigest's `files`). */
  files: ReadonlyMap<string, string>;
  digest: string;
}

/** Snapshots kept at once: a plan digests one or two source folders; older ones are dropped. */
const KEPT = 4;
const snapshots = new Map<string, SourceSnapshot>();

/** What a folder's snapshot is filed under: its root, ignore file and left-out folders. */
export function sourceSnapshotKey(root: string, dockerignore: string | null, exclude: readonly string[]): string {
  return JSON.stringify([root, dockerignore, exclude]);
}

/**
 * Kept by gather so that the append-layer step of the same run does not walk and stat the whole
 * tree a second time (on a 10,000-file tree that was a third of a one-file build). In-process
 * only; the step takes it once and only when its digest is the one the plan's checksum covers.
 */
export function keepSourceSnapshot(key: string, snapshot: SourceSnapshot): void {
  snapshots.delete(key);
  snapshots.set(key, snapshot);
  for (const old of snapshots.keys()) {
    if (snapshots.size <= KEPT) break;
    snapshots.delete(old);
  }
}

/** The snapshot of `key` with `digest`, removed from the registry; undefined when there is none. */
export function takeSourceSnapshot(key: string, digest: string | undefined): SourceSnapshot | undefined {
  const found = snapshots.get(key);
  if (!found || found.digest !== digest) return undefined;
  snapshots.delete(key);
  return found;
}
