import { checkDownloadRequest, isOnHost, parseGitRemote, type CodeDownloadSpec, type CodeRepository } from '@stowage/plugin-api';
import type { GitlabCodeRepositoryConfig } from './config.js';
import type { GitlabApi } from './GitlabApi.js';

/** A project on gitlab.com or a self-hosted GitLab as a Stowage code repository. */
export class GitlabCodeRepository implements CodeRepository {
  private readonly web: URL;

  constructor(
    private readonly config: GitlabCodeRepositoryConfig,
    private readonly api: GitlabApi,
  ) {
    this.web = new URL(config.url);
  }

  /**
   * https and ssh remotes of the instance naming the project, with or without `.git`, compared
   * case-insensitively. An http(s) remote carries the instance's relative URL root
   * (`https://example.com/gitlab/group/project`); an ssh remote does not (`git@example.com:group/project`).
   */
  matchesRemote(url: string): boolean {
    const remote = parseGitRemote(url);
    if (!remote || !isOnHost(remote, this.web.host)) return false;
    const root = remote.transport.startsWith('http') ? this.web.pathname.replace(/^\/+|\/+$/g, '') : '';
    return remote.path.toLowerCase() === (root ? `${root}/${this.config.project}` : this.config.project).toLowerCase();
  }

  /** On GitLab a commit is pushed when some branch of the project contains it. */
  async isPushed(commit: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.api.branchContaining(commit, signal)) !== undefined;
  }

  /** The repository archive endpoint of the v4 API; its archive has one top folder (its name varies by GitLab version). */
  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec {
    const folder = checkDownloadRequest(commit, subdirectory);
    const { url, project, token, token_env } = this.config;
    return {
      kind: 'gitlab',
      url: `${url}/api/v4/projects/${encodeURIComponent(project)}/repository/archive.tar.gz?sha=${commit}`,
      format: 'tar.gz',
      commit,
      stripComponents: 1,
      ...(folder ? { subdirectory: folder } : {}),
      ...(token ? { auth: { header: 'PRIVATE-TOKEN', prefix: '', tokenEnv: token_env } } : {}),
    };
  }
}
