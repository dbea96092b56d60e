import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readFileSync, type BigIntStats } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContextEntry, ContextFileStat } from './ContextSelection.js';

/** Bumped whenever the file layout or what a digest means changes: older files are then ignored. */
const CACHE_VERSION = 1;

/** The cache folder below a project's `.stowage` state folder; deleting it only costs one re-read. */
export const FILE_DIGEST_CACHE_DIR = join('cache', 'file-digests');

/** What a file's digest was taken under: `[size, mtimeNs, ctimeNs, ino, dev, sha256 hex]` (big ints as decimal strings). */
export type FileDigestRecord = [size: number, mtimeNs: string, ctimeNs: string, ino: string, dev: string, digest: string];

interface CacheFile {
  version: number;
  root: string;
  files: Record<string, FileDigestRecord>;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Longer than any file system's timestamp tick (coarse kernel clocks tick every 1-10 ms; some file systems store whole seconds). */
const SETTLE_MS = 1000;

/** A record of `digest` for a file read under `stats`. */
export function fileDigestRecord(stats: BigIntStats, digest: string): FileDigestRecord {
  return [Number(stats.size), String(stats.mtimeNs), String(stats.ctimeNs), String(stats.ino), String(stats.dev), digest];
}

/**
 * Whether a record may be trusted for a file now showing `stats`: every stat field is unchanged
 * (ctime catches an edit whose mtime was restored, inode and device a file replaced by another),
 * and the file was not modified in the same second as the cache was written or later. That is
 * git's "racy timestamp" guard, compared in whole seconds so that it holds on file systems with
 * coarse timestamps too: an edit that still shows the recorded stats landed in the timestamp tick
 * of the recorded mtime, and then the cache, written after the read, is dated in that second or
 * the edit came before the cache was written and after the read, within that same tick.
 */
export function recordMatches(record: FileDigestRecord, stats: BigIntStats, racyFromNs: bigint): boolean {
  const stat = { mtimeNs: String(stats.mtimeNs), ctimeNs: String(stats.ctimeNs), ino: String(stats.ino), dev: String(stats.dev) };
  return recordMatchesStat(record, Number(stats.size), stat, racyFromNs);
}

/** `recordMatches` for stats the walk kept on an entry (decimal strings). */
function recordMatchesStat(record: FileDigestRecord, size: number, stat: ContextFileStat, racyFromNs: bigint): boolean {
  return (
    record[0] === size &&
    record[1] === stat.mtimeNs &&
    record[2] === stat.ctimeNs &&
    record[3] === stat.ino &&
    record[4] === stat.dev &&
    BigInt(stat.mtimeNs) < racyFromNs
  );
}

/**
 * Per-file content digests of one context folder, kept in `<state dir>/cache/file-digests/` between
 * runs so that a plan over unchanged files stats them and reads none (git's index does the same).
 * Keyed to the absolute root (and ignore file): a cache written for another checkout path is never
 * read. A missing, unreadable or corrupt cache file is ignored and rewritten; writes go to a
 * temporary file renamed over the old one, so concurrent runs each leave a whole file behind.
 */
export class FileDigestCache {
  private readonly next = new Map<string, FileDigestRecord>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly previous: Readonly<Record<string, FileDigestRecord>>,
    private readonly racyFromNs: bigint,
    private readonly settledBeforeNs: bigint,
  ) {}

  /**
   * The cache of `root` (as selected with `dockerignoreFile`) in `stateDir`; empty when there is
   * none yet. `now` (ms since the epoch) is when this run starts reading files.
   */
  static open(stateDir: string, root: string, dockerignoreFile: string | null, now = Date.now()): FileDigestCache {
    const name = createHash('sha256').update(`${root}\0${dockerignoreFile ?? ''}`).digest('hex').slice(0, 32);
    const file = join(stateDir, FILE_DIGEST_CACHE_DIR, `${name}.json`);
    const loaded = readCacheFile(file, root);
    return new FileDigestCache(file, root, loaded?.files ?? {}, loaded?.racyFromNs ?? 0n, BigInt(now - SETTLE_MS) * 1_000_000n);
  }

  /**
   * The cached digest of a file entry if the file on disk still shows the stats it was taken under:
   * the stats the walk saw (one lstat per file per run), or a fresh lstat for an entry without them.
   */
  lookup(entry: ContextEntry): string | undefined {
    const record = Object.hasOwn(this.previous, entry.path) ? this.previous[entry.path] : undefined;
    if (!record) return undefined;
    if (entry.stat) {
      if (!recordMatchesStat(record, entry.size, entry.stat, this.racyFromNs)) return undefined;
    } else {
      let stats: BigIntStats;
      try {
        stats = lstatSync(entry.absolutePath, { bigint: true });
      } catch {
        return undefined; // gone or unreadable: reading it reports the error with its own words
      }
      if (!stats.isFile() || !recordMatches(record, stats, this.racyFromNs)) return undefined;
    }
    this.next.set(entry.path, record);
    return record[5];
  }

  /**
   * Records the digest of a file read under `stats` (the stats of the descriptor that was read).
   * A file changed within `SETTLE_MS` before this run started is not recorded, only read again next
   * time: an edit in the timestamp tick of its read could otherwise leave its stats unchanged
   * (git's guard against the cache's write time alone misses an edit between the read and it).
   */
  remember(entry: ContextEntry, stats: BigIntStats, digest: string): void {
    this.changed = true;
    if (stats.mtimeNs >= this.settledBeforeNs || stats.ctimeNs >= this.settledBeforeNs) return;
    this.next.set(entry.path, fileDigestRecord(stats, digest));
  }

  /**
   * Writes the records of this run (files no longer selected are dropped). Best effort: a cache
   * that cannot be written costs the next run a re-read, never a wrong digest or a failed plan.
   */
  async save(): Promise<void> {
    if (!this.changed && this.next.size === Object.keys(this.previous).length) return;
    const body: CacheFile = { version: CACHE_VERSION, root: this.root, files: Object.fromEntries(this.next) };
    const temp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.file, '..'), { recursive: true });
      await writeFile(temp, JSON.stringify(body));
      await rename(temp, this.file);
    } catch {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

/** The records of a cache file and the time it was written, or undefined if it is absent, for another root, or not ours. */
function readCacheFile(file: string, root: string): { files: Record<string, FileDigestRecord>; racyFromNs: bigint } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    // The file's own mtime is the write time on the file system's clock, as git uses the index's.
    const writtenNs = fstatSync(fd, { bigint: true }).mtimeNs;
    const parsed: unknown = JSON.parse(readFileSync(fd, 'utf8'));
    if (!isCacheFile(parsed) || parsed.root !== root) return undefined;
    return { files: parsed.files, racyFromNs: writtenNs - (writtenNs % NS_PER_SECOND) };
  } catch {
    return undefined; // corrupt or half-read: start afresh, the next save rewrites it
  } finally {
    closeSync(fd);
  }
}

function isCacheFile(value: unknown): value is CacheFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CacheFile>;
  if (v.version !== CACHE_VERSION || typeof v.root !== 'string' || typeof v.files !== 'object' || v.files === null) return false;
  return Object.values(v.files).every(isRecord);
}

// Shape checks only (a regex per field cost more than the whole lookup pass): a value that is not
// what it should be never equals a live stat field, so it is never served.
function isRecord(r: unknown): r is FileDigestRecord {
  return (
    Array.isArray(r) &&
    r.length === 6 &&
    typeof r[0] === 'number' &&
    typeof r[1] === 'string' &&
    typeof r[2] === 'string' &&
    typeof r[3] === 'string' &&
    typeof r[4] === 'string' &&
    typeof r[5] === 'string' &&
    r[5].length === 64
  );
}
