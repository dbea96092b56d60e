import { closeSync, constants, fstatSync, openSync, type BigIntStats } from 'node:fs';
import { StowageError } from '@stowage/plugin-api';
import type { ContextEntry } from './ContextSelection.js';

// O_NOFOLLOW: a file swapped for a symlink after the walk is not followed out of the context;
// O_NONBLOCK: one swapped for a named pipe does not hang the open.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a file of a build context for reading, and checks it is still the file the walk saw (same
 * device and inode, still a regular file): a file replaced by a link to a same-size file outside
 * the root, or by anything else, between the walk and the read is refused rather than shipped.
 * The caller closes the descriptor.
 */
export function openContextFile(entry: ContextEntry): number {
  return openContextFileWithStats(entry).fd;
}

/**
 * `openContextFile`, also returning the opened file's stats (full precision, one `fstat`): what
 * the digest cache records for it.
 */
export function openContextFileWithStats(entry: ContextEntry): { fd: number; stats: BigIntStats } {
  let fd: number;
  try {
    fd = openSync(entry.absolutePath, FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw replacedWhileReading(entry, 'a symbolic link');
    throw error;
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    const same = entry.ino === undefined || (Number(stats.ino) === entry.ino && Number(stats.dev) === entry.dev);
    if (!stats.isFile() || !same) throw replacedWhileReading(entry, stats.isFile() ? 'another file' : 'not a regular file');
    return { fd, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function replacedWhileReading(entry: ContextEntry, now: string): StowageError {
  return new StowageError(`${entry.absolutePath} was replaced while the build context was being read (it is now ${now})`, {
    code: 'CONTEXT_INVALID',
    file: entry.absolutePath,
    hint: 'stop whatever is changing the build context folder and build again',
  });
}
