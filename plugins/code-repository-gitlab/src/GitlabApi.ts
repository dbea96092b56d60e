/** What `isPushed` asks of GitLab. `GitbeakerGitlabApi` is the REST adapter. */
export interface GitlabApi {
  /**
   * A branch whose history contains the commit (`GET …/repository/commits/:sha/refs?type=branch`),
   * undefined when none does or GitLab has no such commit. Throws a CODE_UNAVAILABLE StowageError
   * when the project cannot be read.
   */
  branchContaining(sha: string, signal?: AbortSignal): Promise<string | undefined>;
}
