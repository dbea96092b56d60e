import { Octokit } from '@octokit/rest';
import { apiUrlOf, type GithubCodeRepositoryConfig } from './config.js';
import type { GithubApi } from './GithubApi.js';
import { githubFailure } from './githubFailure.js';

// Octokit logs every 4xx through `log` by default; the answers are handled here.
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface HttpError {
  status?: number;
  response?: unknown;
}

/** GitHub's REST API through Octokit (loaded only when a GitHub code repository is created). */
export class OctokitGithubApi implements GithubApi {
  private readonly octokit: Octokit;
  private readonly repo: { owner: string; repo: string };

  constructor(private readonly config: GithubCodeRepositoryConfig) {
    this.octokit = new Octokit({ baseUrl: apiUrlOf(config), userAgent: 'stowage', log: SILENT, ...(config.token ? { auth: config.token } : {}) });
    this.repo = { owner: config.owner, repo: config.repository };
  }

  async commitExists(sha: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.octokit.rest.repos.getCommit({ ...this.repo, ref: sha, request: { signal } });
      return true;
    } catch (error) {
      // 422: GitHub has no such commit; 409: the repository is empty, so no branch can hold it.
      if (answered(error, 422) || answered(error, 409)) return false;
      throw this.failure(error, signal);
    }
  }

  async defaultBranch(signal?: AbortSignal): Promise<string> {
    try {
      return (await this.octokit.rest.repos.get({ ...this.repo, request: { signal } })).data.default_branch;
    } catch (error) {
      throw this.failure(error, signal);
    }
  }

  async *branchNames(signal?: AbortSignal): AsyncIterable<string> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.repos.listBranches, { ...this.repo, per_page: 100, request: { signal } });
    try {
      for await (const page of pages) yield* page.data.map((branch) => branch.name);
    } catch (error) {
      throw this.failure(error, signal);
    }
  }

  async branchContains(branch: string, sha: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({ ...this.repo, basehead: `${branch}...${sha}`, per_page: 1, request: { signal } });
      return data.status === 'behind' || data.status === 'identical';
    } catch (error) {
      // 404: no common ancestor (a commit only in a fork, or unrelated histories): not on this branch.
      if (answered(error, 404)) return false;
      throw this.failure(error, signal);
    }
  }

  private failure(error: unknown, signal: AbortSignal | undefined): unknown {
    // A cancelled request stays a cancellation, not a forge problem.
    if (signal?.aborted) return error;
    return githubFailure(error, { apiUrl: apiUrlOf(this.config), repository: `${this.config.owner}/${this.config.repository}`, hasToken: !!this.config.token });
  }
}

function answered(error: unknown, status: number): boolean {
  return (error as HttpError).status === status && (error as HttpError).response !== undefined;
}
