import { posix } from 'node:path';
import { StowageError } from '@stowage/plugin-api';
import type { ContextEntry, ContextSelection, ExtraFile } from './ContextSelection.js';
import { compareContextPaths } from './compareContextPaths.js';

export type ArchiveItem = { kind: 'entry'; entry: ContextEntry } | { kind: 'extra'; file: ExtraFile };

/**
 * What goes into the archive, in path order. Extra files are never subject to ignore rules (ZenML
 * #5030: an allowlist `*` .dockerignore dropped the generated requirement files) and replace a
 * selected file of the same path.
 */
export function planArchiveItems(selection: ContextSelection | null, extraFiles: readonly ExtraFile[]): ArchiveItem[] {
  const selected = new Map((selection?.entries ?? []).map((entry) => [entry.path, entry]));
  const extras = new Map<string, ExtraFile>();
  for (const file of extraFiles) {
    assertExtraPath(file.path);
    if (extras.has(file.path)) throw extraConflict(file.path, 'is given twice as an extra file');
    assertNoClash(file.path, selected);
    extras.set(file.path, file);
  }
  const items: ArchiveItem[] = [];
  for (const entry of selected.values()) if (!extras.has(entry.path)) items.push({ kind: 'entry', entry });
  for (const file of extras.values()) items.push({ kind: 'extra', file });
  return items.sort((a, b) => compareContextPaths(itemPath(a), itemPath(b)));
}

function itemPath(item: ArchiveItem): string {
  return item.kind === 'extra' ? item.file.path : item.entry.path;
}

function assertExtraPath(path: string): void {
  const clean = posix.normalize(path);
  const ok = path !== '' && clean === path && !posix.isAbsolute(path) && !path.endsWith('/') && clean !== '..' && !clean.startsWith('../');
  if (!ok) throw extraConflict(path, 'is not a clean relative POSIX path inside the context (no leading "/", "./" or "..")');
}

/** A file cannot replace a directory, nor sit below a selected file or symlink. */
function assertNoClash(path: string, selected: ReadonlyMap<string, ContextEntry>): void {
  if (selected.get(path)?.type === 'directory') throw extraConflict(path, 'would replace a directory of the build context');
  for (let parent = posix.dirname(path); parent !== '.'; parent = posix.dirname(parent)) {
    const type = selected.get(parent)?.type;
    if (type !== undefined && type !== 'directory') throw extraConflict(path, `would sit below the ${type} ${parent} of the build context`);
  }
}

function extraConflict(path: string, reason: string): StowageError {
  return new StowageError(`The generated build-context file "${path}" ${reason}`, {
    code: 'CONTEXT_INVALID',
    hint: 'rename the generated file, or add the clashing path to .dockerignore',
  });
}
