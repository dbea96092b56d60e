import { selectContextFiles } from './selectContextFiles.js';
import type { ContextSelection } from './ContextSelection.js';

/** Stowage's own state folder: never part of a build context (ZenML keeps `.zen` out the same way). */
export const STOWAGE_STATE_DIR = '.stowage';

/**
 * The files of a context folder as the build will see them: `.dockerignore` rules applied, and
 * Stowage's state folder left out (build records change on every build and would change the
 * source digest, so nothing could ever be reused).
 */
export async function selectSourceFiles(root: string, dockerignoreFile: string | null): Promise<ContextSelection> {
  const selection = await selectContextFiles({ root, dockerignoreFile });
  const keep = selection.entries.filter((e) => e.path !== STOWAGE_STATE_DIR && !e.path.startsWith(`${STOWAGE_STATE_DIR}/`));
  if (keep.length === selection.entries.length) return selection;
  const totalBytes = keep.reduce((n, e) => n + (e.type === 'file' ? e.size : 0), 0);
  return { ...selection, entries: keep, totalBytes };
}
