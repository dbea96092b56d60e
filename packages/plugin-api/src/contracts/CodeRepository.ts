/** How the in-image bootstrap authenticates the archive download: a header built from a token variable. */
export interface CodeDownloadAuth {
  /** `Authorization` (GitHub) or `PRIVATE-TOKEN` (GitLab). */
  header: string;
  /** Written before the token (`Bearer `), or `''`. */
  prefix: string;
  /** The name of the run-time environment variable that holds the token — never the token. */
  tokenEnv: string;
}

/** What the in-image bootstrap needs to fetch the code of one commit. */
export interface CodeDownloadSpec {
  /** The forge flavor (`github`, `gitlab`, …). */
  kind: string;
  /** An archive URL of the repository at `commit` (redirects are followed; auth is dropped on another host). */
  url: string;
  format: 'tar.gz';
  commit: string;
  /** Leading path parts of the archive to strip (forges wrap it in `<repo>-<sha>/`). */
  stripComponents: number;
  /** Folder of the source root inside the repository, if not its top (`/`-separated). */
  subdirectory?: string;
  /** Absent for a public repository. */
  auth?: CodeDownloadAuth;
}

/**
 * A registered code repository. Core inspects the local checkout itself (GitCheckout); the
 * plugin recognises its remotes, asks its forge whether a commit is pushed, and says how to
 * download a commit.
 */
export interface CodeRepository {
  matchesRemote(url: string): boolean;
  /** Whether the commit is on a branch of the remote repository (asked of the forge's API). */
  isPushed(commit: string, signal?: AbortSignal): Promise<boolean>;
  downloadSpec(commit: string, subdirectory?: string): CodeDownloadSpec;
}

export interface CodeRepositoryDescription {
  /** e.g. `acme/pipelines` */
  name: string;
  identity?: Readonly<Record<string, unknown>>;
}
