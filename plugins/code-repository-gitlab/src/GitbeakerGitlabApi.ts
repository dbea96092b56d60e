import { Commits, Projects } from '@gitbeaker/rest';
import type { GitlabCodeRepositoryConfig } from './config.js';
import type { GitlabApi } from './GitlabApi.js';
import { gitlabFailure } from './gitlabFailure.js';

const QUERY_TIMEOUT_MS = 60_000;

/** gitbeaker takes no AbortSignal per request: stop waiting for it instead. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function status(error: unknown): number | undefined {
  return (error as { cause?: { response?: { status?: number } } }).cause?.response?.status;
}

/** GitLab's v4 API through gitbeaker (loaded only when a GitLab code repository is created). */
export class GitbeakerGitlabApi implements GitlabApi {
  private readonly commits: InstanceType<typeof Commits<false>>;
  private readonly projects: InstanceType<typeof Projects<false>>;

  constructor(private readonly config: GitlabCodeRepositoryConfig) {
    // gitbeaker sends a `PRIVATE-TOKEN` header whenever the `token` key exists, even undefined.
    const options = { host: config.url, queryTimeout: QUERY_TIMEOUT_MS, ...(config.token ? { token: config.token } : {}) };
    this.commits = new Commits(options);
    this.projects = new Projects(options);
  }

  async branchContaining(sha: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      // One page of one ref is enough to answer; `page` stops gitbeaker from fetching the rest.
      const refs = await abortable(this.commits.allReferences(this.config.project, sha, { type: 'branch', perPage: 1, page: 1 }), signal);
      return refs[0]?.name;
    } catch (error) {
      if (signal?.aborted) throw error;
      // A 404 is an unknown commit or an unreadable project: the project tells them apart.
      if (status(error) === 404 && (await this.projectVisible(signal))) return undefined;
      throw this.failure(error);
    }
  }

  private async projectVisible(signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await abortable(this.projects.show(this.config.project), signal);
      return true;
    } catch (error) {
      if (signal?.aborted) throw error;
      if (status(error) === 404) return false;
      throw this.failure(error);
    }
  }

  private failure(error: unknown) {
    return gitlabFailure(error, { url: this.config.url, project: this.config.project, hasToken: !!this.config.token });
  }
}
