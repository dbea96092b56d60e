import { checkDownloadRequest, isOnHost, parseGitRemote, type CodeDownloadSpec, type CodeRepository } from '@stowage/plugin-api';
import { apiUrlOf, type GithubCodeRepositoryConfig } from './config.js';
import type { GithubApi } from './GithubApi.js';

/** A GitHub (or GitHub Enterprise Server) repository as a Stowage code repository. */
export class GithubCodeRepository implements CodeRepository {
  constructor(
    private readonly config: GithubCodeRepositoryConfig,
    private readonly api: GithubApi,
  ) {}

  /** https and ssh remotes of `host` naming `owner/repository`, with or without `.git`; GitHub names are case-insensitive. */
  matchesRemote(url: string): boolean {
    const remote = parseGitRemote(url);
    if (!remote || !isOnHost(remote, this.config.host)) return false;
    return remote.path.toLowerCase() === `${this.config.owner}/${this.config.repository}`.toLowerCase();
  }

  /**
   * GitHub finds a commit through the whole fork network (and keeps unreferenced ones), so a
   * commit GitHub knows is not yet a pushed one: it must be in the history of one of this
   * repository's branches. The default branch is asked first, then the others.
   */
  async isPushed(commit: string, signal?: AbortSignal): Promise<boolean> {
    if (!(await this.api.commitExists(commit, signal))) return false;
    const defaultBranch = await this.api.defaultBranch(signal);
    if (await this.api.branchContains(defaultBranch, commit, signal)) return true;
    for await (const branch of this.api.branchNames(signal)) {
      if (branch !== defaultBranch && (await this.api.branchContains(branch, commit, signal))) return true;
    }
    return false;
  }

  /** The REST tarball endpoint (it redirects to codeload, where the Authorization header must not follow). */
  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec {
    const folder = checkDownloadRequest(commit, subdirectory);
    const { owner, repository, token, token_env } = this.config;
    return {
      kind: 'github',
      url: `${apiUrlOf(this.config)}/repos/${owner}/${repository}/tarball/${commit}`,
      format: 'tar.gz',
      commit,
      // GitHub wraps the archive in `<owner>-<repo>-<sha7>/`.
      stripComponents: 1,
      ...(folder ? { subdirectory: folder } : {}),
      ...(token ? { auth: { header: 'Authorization', prefix: 'Bearer ', tokenEnv: token_env } } : {}),
    };
  }
}
