import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** Kernel and device folders: reading them copies the process environment or hangs, never a project file. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'] as const;

/**
 * The system folder (`/proc`, `/sys`, `/dev`) a path lies in, as written or once its symlinks
 * are resolved, or undefined. `requirements: /proc/self/environ` would otherwise copy the whole
 * environment, unredacted, into the plan, the record and the image.
 */
export function systemFolderOf(path: string): string | undefined {
  const candidates = [resolve(path)];
  try {
    candidates.push(realpathSync(path));
  } catch {
    // a missing path is reported by the caller
  }
  for (const p of candidates) {
    const folder = SYSTEM_FOLDERS.find((d) => p === d || p.startsWith(`${d}/`));
    if (folder) return folder;
  }
  return undefined;
}
