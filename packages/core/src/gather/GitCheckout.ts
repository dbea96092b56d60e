import { existsSync, realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { ProcessRunner } from '@stowage/plugin-api';

/** What git says about the checkout a folder is in. */
export interface CheckoutInfo {
  /** Top of the work tree (real path). */
  root: string;
  /** The full commit SHA of HEAD (also when HEAD is detached). */
  commit: string;
  /** Uncommitted changes; untracked files count unless told to ignore them. */
  isDirty: boolean;
  /** Fetch URLs of the remotes, unique. */
  remotes: string[];
  /** Folder inside the checkout, `/`-separated (`''` at its top). */
  subdirectory: string;
}

/** Inspects a local git checkout with the real `git`, through the process runner. */
export class GitCheckout {
  constructor(private readonly runner: ProcessRunner) {}

  /** Whether `path` is inside a git work tree (a repository without commits counts). */
  async isWorkTree(path: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const { stdout } = await this.runner.run({ command: ['git', '-C', path, 'rev-parse', '--is-inside-work-tree'], signal, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
      return stdout.trim() === 'true';
    } catch {
      return false;
    }
  }

  /** Null when `path` is not inside a git work tree, or the repository has no commit yet. */
  async inspect(path: string, options: { ignoreUntracked: boolean; exclude?: readonly string[]; signal?: AbortSignal }): Promise<CheckoutInfo | null> {
    const git = (args: string[]) => this.runner.run({ command: ['git', '-C', path, ...args], signal: options.signal, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    let root: string;
    let commit: string;
    try {
      root = (await git(['rev-parse', '--show-toplevel'])).stdout.trim();
      commit = (await git(['rev-parse', '--verify', 'HEAD^{commit}'])).stdout.trim();
    } catch {
      return null;
    }
    // Stowage's own state folder (build records) never makes the checkout dirty.
    const excluded = (options.exclude ?? [])
      .map((dir) => relative(realpathSync(root), existsSync(dir) ? realpathSync(dir) : dir).split(sep).join('/'))
      .filter((rel) => rel !== '' && !rel.startsWith('..'))
      .map((rel) => `:(exclude,top)${rel}`);
    const status = await git(['status', '--porcelain', `--untracked-files=${options.ignoreUntracked ? 'no' : 'normal'}`, '--', ':(top)', ...excluded]);
    // The URLs as configured: `git remote -v` shows them after `insteadOf` rewrites (a mirror or proxy).
    const configured = await git(['config', '--get-regexp', '^remote\\..*\\.url$']).catch(() => ({ stdout: '' }));
    const remotes = configured.stdout
      .split('\n')
      .map((line) => line.split(/\s+/)[1])
      .filter((url): url is string => !!url);
    const subdirectory = relative(realpathSync(root), realpathSync(path)).split(sep).join('/');
    return { root: realpathSync(root), commit, isDirty: status.stdout.trim() !== '', remotes: [...new Set(remotes)], subdirectory };
  }
}

/** ZenML's variable is honoured as an alias of Stowage's. */
export function ignoresUntrackedFiles(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.STOWAGE_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES ?? env.ZENML_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES;
  return /^(1|true|yes|on)$/i.test(value ?? '');
}
