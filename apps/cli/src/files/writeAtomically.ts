import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { StowageError } from '@stowage/core';

/**
 * Writes a file the CLI produces (`-o build.yaml`, `init`'s files) through a temp file and a
 * rename: a reader never sees half of it, and a failed write leaves nothing. `what` names the
 * file in the error ("the build", "the config").
 */
export function writeAtomically(file: string, text: string, what?: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new StowageError(`cannot write ${what ? `${what} to ` : ''}${file}: ${(cause as Error).message}`, { code: 'USAGE', cause });
  }
}
