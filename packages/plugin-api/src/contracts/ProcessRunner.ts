/** One subprocess to run: argv without a shell, or a user-given command string through `/bin/sh -c`. */
export interface ProcessRequest {
  command: readonly string[] | string;
  cwd?: string;
  /** Added to the current environment. */
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Feeds stdin (otherwise stdin is closed). */
  input?: string;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs subprocesses (exporters, git, credential helpers); the host injects it so tests swap a fake. */
export interface ProcessRunner {
  /** Resolves with the output when the process exits 0; otherwise throws SUBPROCESS_FAILED. */
  run(request: ProcessRequest): Promise<ProcessResult>;
}
