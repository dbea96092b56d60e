/**
 * What `isPushed` asks of GitHub. `OctokitGithubApi` is the REST adapter; every method throws a
 * CODE_UNAVAILABLE StowageError when the repository cannot be read.
 */
export interface GithubApi {
  /** False when GitHub has no such commit (HTTP 422). */
  commitExists(sha: string, signal?: AbortSignal): Promise<boolean>;
  defaultBranch(signal?: AbortSignal): Promise<string>;
  /** Every branch name, page by page. */
  branchNames(signal?: AbortSignal): AsyncIterable<string>;
  /** Whether `sha` is in the history of `branch`: `compare/<branch>...<sha>` is `behind` or `identical`. */
  branchContains(branch: string, sha: string, signal?: AbortSignal): Promise<boolean>;
}
