import { createContextArchive } from '../context/createContextArchive.js';
import { digestContext } from '../context/digestContext.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import type { ArtifactStore } from '../plugins/contracts.js';

export interface CodeArchive {
  /** Where the container downloads it from (`ArtifactStore.url`). */
  url: string;
  /** `sha256:…` of the archive: the same code always gives the same archive and key. */
  digest: string;
  uploaded: boolean;
}

/**
 * Uploads the source root as a deterministic tar named by its digest
 * (`code_uploads/<hex>.tar`), once: when the store already has it, nothing is sent.
 */
export async function uploadCodeArchive(sourceRoot: string, store: ArtifactStore, exclude: readonly string[]): Promise<CodeArchive> {
  const selection = await selectSourceFiles(sourceRoot, null, exclude);
  const { digest } = await digestContext({ selection });
  const key = `code_uploads/${digest.replace(/^sha256:/, '')}.tar`;
  const exists = await store.exists(key);
  if (!exists) await store.put(key, createContextArchive({ selection }));
  return { url: store.url(key), digest, uploaded: !exists };
}
