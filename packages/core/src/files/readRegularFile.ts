import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { StowageError, type StowageErrorCode } from '@stowage/plugin-api';

/** Config files, build records, requirement files and Dockerfiles are small; anything larger is refused, not read. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

export interface ReadRegularFileOptions {
  /** What the file is, for messages: `the config file`, `the build record`. */
  what: string;
  code: StowageErrorCode;
  /** The code when the file does not exist (default: `code`). */
  missingCode?: StowageErrorCode;
  /** Shown instead of the path in messages (e.g. relative to the CWD). */
  display?: string;
  hint?: string;
  maxBytes?: number;
  /** Refuse a symlink as the last path component (files Stowage finds itself, e.g. in `.stowage/builds`). */
  noFollow?: boolean;
}

// O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused after fstat instead).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file that must be a regular file of bounded size: a named pipe, a device (`/dev/zero`),
 * a folder or a socket is refused without reading, and so is a file over the size cap (checked
 * while reading too, since `/proc` files report size 0). What is read is what was checked: the
 * checks are on the opened descriptor, not the path.
 */
export function readRegularFile(path: string, o: ReadRegularFileOptions): Buffer {
  const display = o.display ?? path;
  const fail = (reason: string, cause?: unknown, code = o.code) => new StowageError(`${o.what} ${reason}`, { code, file: display, cause, hint: o.hint });
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS | (o.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw fail(code === 'ELOOP' ? 'is a symbolic link' : `cannot be read: ${(cause as Error).message}`, cause, code === 'ENOENT' ? (o.missingCode ?? o.code) : o.code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw fail(`is ${fileKind(stats)}, not a regular file`);
    return readBounded(fd, o.maxBytes ?? MAX_INPUT_FILE_BYTES, () => fail(`is larger than ${formatBytes(o.maxBytes ?? MAX_INPUT_FILE_BYTES)}`));
  } finally {
    closeSync(fd);
  }
}

function readBounded(fd: number, maxBytes: number, tooLarge: () => StowageError): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk.subarray(0, n));
  }
}

/** `a named pipe`, `a character device`, … */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
