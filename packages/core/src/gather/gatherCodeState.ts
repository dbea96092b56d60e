import type { ArtifactStore, CodeRepository, ProcessRunner } from '@stowage/plugin-api';
import { digestContext } from '../context/digestContext.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import { codeArchiveKey } from '../model/artifactKeys.js';
import type { CodeArchiveState, CodeCheckoutState } from '../model/plan.js';
import type { Lazy } from '../plugins/Lazy.js';
import { GitCheckout, ignoresUntrackedFiles } from './GitCheckout.js';

/**
 * The checkout the source root is in, as far as the stack's code repository is concerned: null
 * when it is not a checkout of that repository. A clean checkout's commit is asked of the forge.
 */
export async function gatherCodeCheckout(o: {
  sourceRoot: string;
  runner: ProcessRunner;
  repository: Lazy<CodeRepository>;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}): Promise<CodeCheckoutState | null> {
  const info = await new GitCheckout(o.runner).inspect(o.sourceRoot, { ignoreUntracked: ignoresUntrackedFiles(o.env), signal: o.signal });
  if (!info) return null;
  const repository = await o.repository.get();
  if (!info.remotes.some((url) => repository.matchesRemote(url))) return null;
  const isPushed = info.isDirty ? false : await repository.isPushed(info.commit, o.signal);
  return { root: info.root, commit: info.commit, isDirty: info.isDirty, isPushed, subdirectory: info.subdirectory };
}

/** The digest of the source root's deterministic archive, and whether the store has it already. */
export async function gatherCodeArchive(sourceRoot: string, exclude: readonly string[], store: Lazy<ArtifactStore>): Promise<CodeArchiveState> {
  const selection = await selectSourceFiles(sourceRoot, null, exclude);
  const { digest } = await digestContext({ selection });
  const present = await (await store.get()).exists(codeArchiveKey(digest));
  return { digest, present };
}
