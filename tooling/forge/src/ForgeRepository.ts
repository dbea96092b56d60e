import type { BareRepository } from './BareRepository.js';

export type ForgeKind = 'github' | 'gitlab';

export const DEFAULT_HOST: Readonly<Record<ForgeKind, string>> = { github: 'github.com', gitlab: 'gitlab.com' };

export interface CreateRepositoryOptions {
  kind: ForgeKind;
  /** `acme/demo` (GitHub: exactly owner/name) or `group/sub/project` (GitLab). */
  path: string;
  /** The web host it lives on (default github.com / gitlab.com; any other is GitHub Enterprise or a self-hosted GitLab). */
  host?: string;
  /** Private: everything needs `token`. Public: reading is open, pushing needs `token` when one is set. */
  private?: boolean;
  /** The one token that can read and push this repository. */
  token?: string;
  /** Default `main`. */
  defaultBranch?: string;
}

/** A repository the forge serves. Paths and hosts are matched case-insensitively, as both forges do. */
export interface ForgeRepository {
  readonly kind: ForgeKind;
  readonly host: string;
  /** As created (its canonical spelling). */
  readonly path: string;
  /** Numeric id (GitLab's project id; GitHub's repository id). */
  readonly id: number;
  readonly private: boolean;
  readonly token?: string;
  readonly bare: BareRepository;
  /** The realistic remote, `https://github.com/acme/demo.git`: route it with `writeTestGitConfig`. */
  readonly remoteUrl: string;
}

/** The last path segment: GitHub's repository name, GitLab's project path. */
export function repositoryName(repo: Pick<ForgeRepository, 'path'>): string {
  return repo.path.slice(repo.path.lastIndexOf('/') + 1);
}

/** GitHub's owner, GitLab's namespace. */
export function repositoryNamespace(repo: Pick<ForgeRepository, 'path'>): string {
  return repo.path.slice(0, Math.max(0, repo.path.lastIndexOf('/')));
}
