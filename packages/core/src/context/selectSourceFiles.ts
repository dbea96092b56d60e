import { isAbsolute, relative, sep } from 'node:path';
import type { ContextSelection } from './ContextSelection.js';
import { selectContextFiles } from './selectContextFiles.js';


/**
 * The files of a context folder as the build will see them: `.dockerignore` rules applied, and
 * the `excluded` folders (absolute; Stowage's state folder) left out wherever they sit below the
 * root — build records change on every build and would change the source digest, so nothing
 * could ever be reused (ZenML keeps `.zen` out the same way).
 */
export async function selectSourceFiles(root: string, dockerignoreFile: string | null, excluded: readonly string[] = []): Promise<ContextSelection> {
  const selection = await selectContextFiles({ root, dockerignoreFile });
  const inside = excluded
    .map((dir) => relative(root, dir).split(sep).join('/'))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel));
  if (!inside.length) return selection;
  const keep = selection.entries.filter((e) => !inside.some((rel) => e.path === rel || e.path.startsWith(`${rel}/`)));
  if (keep.length === selection.entries.length) return selection;
  const totalBytes = keep.reduce((n, e) => n + (e.type === 'file' ? e.size : 0), 0);
  return { ...selection, entries: keep, totalBytes };
}
