import { StowageError, type StowageErrorCode } from '@stowage/plugin-api';
import { utf8Text } from './decodeUtf8.js';
import { readRegularFile } from './readRegularFile.js';
import { systemFolderOf } from './systemFolder.js';

/**
 * The UTF-8 text of a file of the project that goes into a plan, a checksum or an image (a
 * requirements file, a Dockerfile, a .dockerignore): never a file in /proc, /sys or /dev (also
 * through a symlink), only a regular file of bounded size, and refused if it is not UTF-8.
 */
export function readProjectFile(file: string, o: { what: string; code: StowageErrorCode; hint?: string }): string {
  const system = systemFolderOf(file);
  if (system) throw new StowageError(`${o.what} ${file} is in ${system}: a system folder, not part of the project`, { code: o.code, file, hint: o.hint });
  const bytes = readRegularFile(file, { ...o, display: file });
  return utf8Text(bytes, { what: o.what, display: file, code: o.code });
}
