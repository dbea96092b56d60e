import { createContextArchive } from '../context/createContextArchive.js';
import { digestContext } from '../context/digestContext.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import type { BuildContextSource } from '@stowage/plugin-api';
import type { ContextSpec } from '../model/plan.js';

/** Selects the context files once; each `open()` streams a fresh deterministic tar of them. */
export async function openBuildContext(spec: ContextSpec): Promise<BuildContextSource> {
  const selection = spec.root ? await selectSourceFiles(spec.root, spec.dockerignore ?? null, spec.exclude) : null;
  const options = { selection, extraFiles: spec.extraFiles };
  let digest: Promise<string> | undefined;
  return {
    open: () => createContextArchive(options),
    digest: () => (digest ??= digestContext(options).then((d) => d.digest)),
  };
}
