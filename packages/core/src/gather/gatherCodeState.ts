import type { ArtifactStore, CodeRepository, ProcessRunner } from '@stowage/plugin-api';
import { digestCodeArchive } from '../context/createCodeArchive.js';
import { selectCodeArchiveFiles, type CodeArchiveSelection } from '../context/selectCodeArchiveFiles.js';
import { codeArchiveKey } from '../model/artifactKeys.js';
import type { CodeArchiveState, CodeCheckoutState } from '../model/plan.js';
import type { Lazy } from '../plugins/Lazy.js';
import { GitCheckout, ignoresUntrackedFiles } from './GitCheckout.js';

export interface CheckoutGatherOptions {
  sourceRoot: string;
  /** Stowage's state folders: never part of the checkout's state. */
  exclude: readonly string[];
  runner: ProcessRunner;
  repositories: readonly { name: string; handle: Lazy<CodeRepository> }[];
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/**
 * The checkout the source root is in, as far as the registered code repositories are concerned:
 * the first whose remote it has, whether its commit is pushed (asked of the forge; a dirty
 * checkout is not asked), and how a container downloads it. Null outside a matching checkout.
 */
export async function gatherCodeCheckout(o: CheckoutGatherOptions): Promise<CodeCheckoutState | null> {
  const info = await new GitCheckout(o.runner).inspect(o.sourceRoot, { ignoreUntracked: ignoresUntrackedFiles(o.env), exclude: o.exclude, signal: o.signal });
  if (!info) return null;
  for (const { name, handle } of o.repositories) {
    const repository = await handle.get();
    if (!info.remotes.some((url) => repository.matchesRemote(url))) continue;
    const isPushed = info.isDirty ? false : await repository.isPushed(info.commit, o.signal);
    const download = repository.downloadSpec(info.commit, info.subdirectory || undefined);
    return { root: info.root, commit: info.commit, isDirty: info.isDirty, repository: name, isPushed, subdirectory: info.subdirectory, download };
  }
  return null;
}

/**
 * The code archive of the source root (files git would ship inside a checkout, `.dockerignore`
 * rules outside), its digest, and whether the store has it already.
 */
export async function gatherCodeArchive(
  sourceRoot: string,
  exclude: readonly string[],
  store: Lazy<ArtifactStore>,
  runner: ProcessRunner,
): Promise<CodeArchiveState> {
  const selection: CodeArchiveSelection = (await new GitCheckout(runner).isWorkTree(sourceRoot)) ? 'git' : 'dockerignore';
  const digest = await digestCodeArchive(await selectCodeArchiveFiles(sourceRoot, selection, exclude, runner));
  const present = await (await store.get()).exists(codeArchiveKey(digest));
  return { digest, present, selection };
}
