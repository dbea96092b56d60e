import type { Warning } from '@stowage/plugin-api';

export type ContextEntryType = 'file' | 'directory' | 'symlink';

/** One file, directory or symlink of a build context, as found on disk. */
export interface ContextEntry {
  /** POSIX path relative to the context root, without a leading `./`. */
  path: string;
  type: ContextEntryType;
  /** Permission bits as found on disk (`stat.mode & 0o7777`); the archive normalises them. */
  mode: number;
  /** Bytes of a file; 0 for directories and symlinks. */
  size: number;
  absolutePath: string;
  /** The link's target exactly as stored on disk (symlinks only). */
  linkTarget?: string;
  /** Device and inode the walk saw (files): reading checks the opened file is still that one. */
  dev?: number;
  ino?: number;
  /**
   * The file's stats when the walk saw it (files), at full precision as decimal strings (a
   * selection stays JSON-serialisable): the digest cache compares them without a second lstat.
   */
  stat?: ContextFileStat;
}

/** Nanosecond modification and change times, inode and device of a file, as decimal strings. */
export interface ContextFileStat {
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
}

/** The files of a folder that a build context ships, chosen with `.dockerignore` rules. */
export interface ContextSelection {
  /** Absolute context root. */
  root: string;
  /** The ignore file that was applied, or null when there was none. */
  dockerignoreFile: string | null;
  /** The ignore patterns after Docker's line normalisation, in file order. */
  patterns: string[];
  /** Sorted by `path` in byte order. */
  entries: ContextEntry[];
  /** Sum of the sizes of the selected files. */
  totalBytes: number;
  warnings: Warning[];
}

/** A file the build needs that is not (or not as-is) in the context folder: a generated Dockerfile, requirement files. */
export interface ExtraFile {
  /** POSIX path inside the archive, relative, no leading `./`. */
  path: string;
  content: string | Uint8Array;
  /** Defaults to 0o644. */
  mode?: number;
}

export interface ContextArchiveOptions {
  /** The selected files, or null for an archive of extra files only. */
  selection: ContextSelection | null;
  /** Always shipped, whatever the ignore rules; they replace selected entries of the same path. */
  extraFiles?: ExtraFile[];
  /** Modification time of every entry, in seconds; else `SOURCE_DATE_EPOCH`, else 0. */
  mtime?: number;
  /** Numeric owner of every entry (default root, 0:0): image layers own their files as `chown` would. */
  owner?: { uid: number; gid: number };
  /**
   * The content sha256 (hex) a file was digested with, when it must still have it: a file edited
   * since (even keeping its size) fails the archive instead of shipping bytes its digest does not name.
   */
  expectedDigest?: (entry: ContextEntry) => string | undefined;
}
