import { mkdir } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { runGit, runGitOptional, spawnGit } from './runGit.js';

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface BranchHead {
  name: string;
  sha: string;
}

// Fields of `git show -s --format=…`, NUL-separated: the message (%B) is last as it may hold anything.
const COMMIT_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');

/** What a forge's API is allowed to resolve: a sha or a ref name, never an option or a range. */
function isRefLike(ref: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref) && !ref.includes('..') && ref.length <= 256;
}

/** One bare repository on disk; every question the REST emulation asks is a git command here. */
export class BareRepository {
  constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string): Promise<BareRepository> {
    await mkdir(dir, { recursive: true });
    await runGit(['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, dir]);
    return new BareRepository(dir);
  }

  /** The full sha of a commit named by sha (full or abbreviated) or ref; undefined when there is none. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    if (!isRefLike(ref)) return undefined;
    const out = await runGitOptional(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: this.dir });
    return out?.trim() || undefined;
  }

  async commit(ref: string): Promise<CommitInfo | undefined> {
    const sha = await this.resolveCommit(ref);
    if (!sha) return undefined;
    const out = await runGit(['show', '-s', `--format=${COMMIT_FORMAT}`, sha], { cwd: this.dir });
    const [hash, tree, parents, an, ae, ad, cn, ce, cd, ...message] = out.split('\0');
    return {
      sha: hash!,
      tree: tree!,
      parents: parents ? parents.split(' ') : [],
      author: { name: an!, email: ae!, date: ad! },
      committer: { name: cn!, email: ce!, date: cd! },
      message: message.join('\0').replace(/\n+$/, ''),
    };
  }

  /** Branches sorted by name, as both forges list them. */
  async branches(): Promise<BranchHead[]> {
    return this.refs(['refs/heads']);
  }

  async branchesContaining(sha: string): Promise<BranchHead[]> {
    return this.refs(['--contains', sha, 'refs/heads']);
  }

  /** Commits reachable from `to` but not from `from` (`git rev-list --count from..to`). */
  async count(from: string, to: string): Promise<number> {
    return Number((await runGit(['rev-list', '--count', `${from}..${to}`], { cwd: this.dir })).trim());
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    return (await runGitOptional(['merge-base', a, b], { cwd: this.dir }))?.trim() || undefined;
  }

  /** The branch HEAD points to, whether or not it has commits yet. */
  async defaultBranch(): Promise<string> {
    return (await runGit(['symbolic-ref', '--short', 'HEAD'], { cwd: this.dir })).trim();
  }

  /** `git archive --format=tar.gz` of a commit with every path under `prefix` (ending in `/`). */
  archive(sha: string, prefix: string): ChildProcess {
    return spawnGit(['archive', '--format=tar.gz', `--prefix=${prefix}`, sha], { cwd: this.dir });
  }

  private async refs(args: string[]): Promise<BranchHead[]> {
    const out = await runGit(['for-each-ref', '--sort=refname', '--format=%(objectname) %(refname:lstrip=2)', ...args], { cwd: this.dir });
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ sha: line.slice(0, line.indexOf(' ')), name: line.slice(line.indexOf(' ') + 1) }));
  }
}
