import { closeSync, readFileSync } from 'node:fs';
import { toStowageError } from '@stowage/plugin-api';
import type { ContextEntry } from './ContextSelection.js';
import { openContextFile } from './openContextFile.js';

/** Files up to this size are read whole (one syscall sequence instead of a read stream). */
export const SMALL_FILE_BYTES = 256 * 1024;

export type SmallFileContent = Buffer | undefined;

function readError(entry: ContextEntry, error: unknown) {
  return toStowageError(error, {
    code: 'CONTEXT_INVALID',
    file: entry.absolutePath,
    message: `Cannot read ${entry.absolutePath} for the build context`,
    hint: `make ${entry.path} readable, or add it to .dockerignore`,
  });
}

/**
 * Yields each entry with its content when it is a small file, or `undefined` for large files (to
 * be streamed) and non-files. Small files are read synchronously: a source tree is thousands of
 * tiny files, and the thread-pool round trips of async reads cost several times the read itself
 * (measured by `pnpm bench`); each read blocks for microseconds. Large files are never held whole.
 */
export async function* smallFileContents(entries: readonly ContextEntry[]): AsyncGenerator<[ContextEntry, SmallFileContent]> {
  for (const entry of entries) {
    if (entry.type !== 'file' || entry.size > SMALL_FILE_BYTES) {
      yield [entry, undefined];
      continue;
    }
    let content: Buffer;
    try {
      const fd = openContextFile(entry);
      try {
        content = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw readError(entry, error);
    }
    yield [entry, content];
  }
}
