import { execFile, spawn, type ChildProcess } from 'node:child_process';

export interface GitOptions {
  /** Folder to run in (`git -C`). */
  cwd?: string;
  /** Extra environment; the server's git runs with no user or system config at all. */
  env?: Readonly<Record<string, string>>;
}

/** A git command that exited non-zero: its arguments and stderr, so a failing test says why. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited with ${exitCode}: ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

/**
 * The environment the emulator's own git runs with: the caller's PATH and nothing of their git
 * config (a test's `insteadOf` rules or a developer's hooks must not change what the "server" sees).
 */
export function serverGitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    ...extra,
  };
}

/** Runs git to completion and returns its stdout as text. */
export function runGit(args: readonly string[], options: GitOptions = {}): Promise<string> {
  const fullArgs = options.cwd ? ['-C', options.cwd, ...args] : [...args];
  return new Promise((resolve, reject) => {
    execFile('git', fullArgs, { env: serverGitEnv(options.env), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new GitCommandError(fullArgs, typeof error.code === 'number' ? error.code : null, stderr));
      else resolve(stdout);
    });
  });
}

/** Like runGit, but resolves undefined instead of rejecting when git exits 1 or 128 (unknown object or ref). */
export async function runGitOptional(args: readonly string[], options: GitOptions = {}): Promise<string | undefined> {
  try {
    return await runGit(args, options);
  } catch (error) {
    if (error instanceof GitCommandError && (error.exitCode === 1 || error.exitCode === 128)) return undefined;
    throw error;
  }
}

/** Starts git with its stdout as a stream (archives); the caller pipes it and handles its exit. */
export function spawnGit(args: readonly string[], options: GitOptions = {}): ChildProcess {
  const fullArgs = options.cwd ? ['-C', options.cwd, ...args] : [...args];
  return spawn('git', fullArgs, { env: serverGitEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}
