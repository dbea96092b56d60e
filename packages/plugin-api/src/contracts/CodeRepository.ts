/** What the in-image bootstrap needs to fetch the code of one commit. */
export interface CodeDownloadSpec {
  /** The forge flavor (`github`, `gitlab`, …). */
  kind: string;
  /** An archive URL of the repository at `commit`. */
  url: string;
  commit: string;
  /** Leading path parts of the archive to strip (forges wrap it in `<repo>-<sha>/`). */
  stripComponents: number;
  /** Folder of the source root inside the repository, if not its top. */
  subdirectory?: string;
  /** The name of the run-time environment variable that holds a token (never the token). */
  tokenEnv?: string;
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
