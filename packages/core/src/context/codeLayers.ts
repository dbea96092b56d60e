import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import { compareContextPaths } from './compareContextPaths.js';
import { normalisedMode } from './normalisedMode.js';

/** Files of at least this size travel in the large-file layers, apart from the source code. */
export const LARGE_FILE_BYTES = 1 << 20;
/** Layers of small files (sources, configs), by folder. */
export const SMALL_FILE_LAYERS = 16;
/** Layers of large files (data, weights), by path. */
export const LARGE_FILE_LAYERS = 4;

/** One code layer: the entries of the selection it ships, below the image's working directory. */
export interface CodeLayerGroup {
  /** `large 2/4` or `code 7/16`: stable across builds, shown in the image's history. */
  name: string;
  /** Selected entries (paths relative to the source root), sorted; their folders are added when the layer is written. */
  entries: ContextEntry[];
  files: number;
  bytes: number;
}

/**
 * Splits the code into a few stable layers, so that a one-file edit changes one small layer and
 * the others are found in the registry: large files (≥ 1 MiB) apart from the rest, by a hash of
 * their path; everything else by a hash of its folder, so a folder's files stay together and
 * adding a folder moves no other. Empty groups are left out; the order is fixed (large first:
 * they change least).
 */
export function splitCodeLayers(entries: readonly ContextEntry[]): CodeLayerGroup[] {
  const large: ContextEntry[][] = Array.from({ length: LARGE_FILE_LAYERS }, () => []);
  const small: ContextEntry[][] = Array.from({ length: SMALL_FILE_LAYERS }, () => []);
  for (const entry of entries) {
    if (entry.type === 'file' && entry.size >= LARGE_FILE_BYTES) large[bucket(entry.path, LARGE_FILE_LAYERS)]!.push(entry);
    // A folder goes with its own files (a new folder changes one layer); a file with its folder's.
    else small[bucket(entry.type === 'directory' ? entry.path : posix.dirname(entry.path), SMALL_FILE_LAYERS)]!.push(entry);
  }
  const groups = (kind: string, lists: ContextEntry[][]): CodeLayerGroup[] =>
    lists.flatMap((list, i) => {
      if (!list.length) return [];
      const files = list.filter((e) => e.type !== 'directory');
      return [{ name: `${kind} ${i + 1}/${lists.length}`, entries: list, files: files.length, bytes: files.reduce((n, e) => n + e.size, 0) }];
    });
  return [...groups('large', large), ...groups('code', small)];
}

/** FNV-1a (32 bits) of the key's UTF-16 units: stable across runs and machines, and cheap for 10,000 paths. */
function bucket(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % n;
}

/**
 * The selection a layer's archive is written from: its entries under `destination` (relative,
 * e.g. `app`), with every folder on the way, so the layer alone gives each file its folder's
 * owner and mode (a folder missing from a layer would be created root-owned by the engine).
 */
export function layerSelection(selection: ContextSelection, group: CodeLayerGroup, destination: string): ContextSelection {
  const dir = (path: string): ContextEntry => ({ path, type: 'directory', mode: 0o755, size: 0, absolutePath: selection.root });
  const out = new Map<string, ContextEntry>([[destination, dir(destination)]]);
  for (const entry of group.entries) {
    for (let parent = posix.dirname(entry.path); parent !== '.'; parent = posix.dirname(parent)) {
      const path = `${destination}/${parent}`;
      if (out.has(path)) break;
      out.set(path, dir(path));
    }
    out.set(`${destination}/${entry.path}`, { ...entry, path: `${destination}/${entry.path}` });
  }
  const entries = [...out.values()].sort((a, b) => compareContextPaths(a.path, b.path));
  return { ...selection, entries, totalBytes: group.bytes };
}

/**
 * What a layer's bytes depend on, as a key of the layer cache: each entry's path, type, mode and
 * content digest (from the stat cache: nothing is read), the owner, the mtime stamped and the
 * compressor. Equal keys give equal blobs.
 */
export function codeLayerKey(group: CodeLayerGroup, fileDigests: ReadonlyMap<string, string>, stamp: LayerStamp, compressor: string): string {
  const hash = createHash('sha256').update(JSON.stringify([LAYER_FORMAT, stamp.uid, stamp.gid, stamp.mode ?? 0o755, stamp.mtime, stamp.destination, compressor]));
  for (const e of group.entries) {
    const body = e.type === 'directory' ? '' : (fileDigests.get(e.path) ?? `unknown:${e.path}`);
    hash.update(`${JSON.stringify([e.path, e.type, normalisedMode(e.type, e.mode), body])}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** What every layer is stamped with besides its files: owner, mtime, where it goes and the working directory's mode. */
export interface LayerStamp {
  uid: number;
  gid: number;
  mtime: number;
  destination: string;
  /** Mode of the destination folder (default 0755). */
  mode?: number;
}

/** Bumped when what a layer holds for the same files changes. */
const LAYER_FORMAT = 2;
