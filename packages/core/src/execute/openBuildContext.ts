import { createContextArchive } from '../context/createContextArchive.js';
import { digestContext } from '../context/digestContext.js';
import type { ContextSelection } from '../context/ContextSelection.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import type { BuildContextSource } from '@stowage/plugin-api';
import type { ContextSpec } from '../model/plan.js';

/** Selects the context files once; each `open()` streams a fresh deterministic tar of them. */
export async function openBuildContext(spec: ContextSpec): Promise<BuildContextSource> {
  const selection = spec.root ? underPrefix(await selectSourceFiles(spec.root, spec.dockerignore ?? null, spec.exclude), spec.prefix) : null;
  const options = { selection, extraFiles: spec.extraFiles };
  let digest: Promise<string> | undefined;
  return {
    open: () => createContextArchive(options),
    digest: () => (digest ??= digestContext(options).then((d) => d.digest)),
  };
}

/** The selected files moved under `prefix` (its folder always there, so `COPY <prefix>/ ./` works for no files too). */
function underPrefix(selection: ContextSelection, prefix: string | undefined): ContextSelection {
  if (!prefix) return selection;
  const folder = { path: prefix, type: 'directory' as const, mode: 0o755, size: 0, absolutePath: selection.root };
  return { ...selection, entries: [folder, ...selection.entries.map((e) => ({ ...e, path: `${prefix}/${e.path}` }))] };
}
