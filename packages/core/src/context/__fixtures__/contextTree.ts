import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ContextEntry } from '../ContextSelection.js';

/** A fresh temp folder, removed by the returned cleanup. */
export async function makeTempDir(prefix = 'stowage-context-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Creates `paths` under `root`: a trailing `/` makes a directory, anything else a file whose
 * content is its own path plus a newline (so every file differs), unless `contents` says otherwise.
 */
export async function writeContextTree(
  root: string,
  paths: readonly string[],
  contents: Readonly<Record<string, string>> = {},
): Promise<void> {
  for (const path of paths) {
    const absolute = join(root, path);
    if (path.endsWith('/')) {
      await mkdir(absolute, { recursive: true });
    } else {
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, contents[path] ?? `${path}\n`);
    }
  }
}

/** What lands in an image from these entries: files, links and empty directories (with `/`). */
export function leavesOf(entries: readonly ContextEntry[]): string[] {
  const leaves = entries.filter(
    (entry) => entry.type !== 'directory' || !entries.some((other) => other.path.startsWith(`${entry.path}/`)),
  );
  return leaves.map((entry) => (entry.type === 'directory' ? `${entry.path}/` : entry.path));
}
