/**
 * Runs the real `stowage` CLI as a subprocess, the way `pnpm -s stowage` does:
 *   node --conditions=@stowage/source apps/cli/bin/stowage-dev.mjs <args>
 * with the project folder as the working directory (the dev runner registers tsx with the
 * repository's tsconfig, so it works from any folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this file is tooling/e2e/test/runStowage.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const CLI_BIN = `${REPO_ROOT}/apps/cli/bin/stowage-dev.mjs`;

export interface StowageResult {
  /** Exit code (a signal counts as -1). */
  code: number;
  stdout: string;
  stderr: string;
  /** The command line, for messages. */
  command: string;
  ms: number;
  /** The CLI did not exit by itself within `timeoutMs` and was killed. */
  timedOut: boolean;
}

export interface RunStowageOptions {
  /** The project folder (working directory). */
  cwd: string;
  /** Extra environment (merged over this process's environment). */
  env?: Record<string, string | undefined>;
  /** Kill the CLI after this long (default 5 min). */
  timeoutMs?: number;
  /** Called with all of stderr so far after each chunk, and the process (e.g. to send it SIGINT). */
  onStderr?: (stderrSoFar: string, child: ChildProcess) => void;
}

/**
 * Image ids that build logs of this test file's CLI runs mention (classic builder `---> <id>` and
 * `Successfully built <id>`, BuildKit `writing image sha256:<id>`): a failed build leaves its last
 * good step as an untagged image, and a tag that moves leaves the old image untagged. Cleanup
 * removes those that end up untagged and unused.
 */
export const imageIdsSeenInLogs = new Set<string>();

function collectImageIds(log: string): void {
  for (const m of log.matchAll(/(?:---> |Successfully built )([0-9a-f]{12,64})\b/g)) imageIdsSeenInLogs.add(m[1]!);
  for (const m of log.matchAll(/writing image sha256:([0-9a-f]{64})/g)) imageIdsSeenInLogs.add(m[1]!);
}

/** The argv (after `node`) of a CLI run; exported so tests can show how it was run. */
export function stowageNodeArgs(args: readonly string[]): string[] {
  return ['--conditions=@stowage/source', CLI_BIN, ...args];
}

export function runStowage(args: readonly string[], opts: RunStowageOptions): Promise<StowageResult> {
  const started = Date.now();
  const env: Record<string, string | undefined> = {
    ...process.env,
    // Plain output: no colours, no TTY redraws (stdout is a pipe anyway).
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise<StowageResult>((resolve, reject) => {
    const child = spawn(process.execPath, stowageNodeArgs(args), {
      cwd: opts.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 300_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onStderr?.(stderr, child);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      collectImageIds(stderr);
      resolve({ code: code ?? -1, stdout, stderr, command: `stowage ${args.join(' ')}`, ms: Date.now() - started, timedOut });
    });
  });
}

/** Text for assertion messages: the command, its exit code and both streams. */
export function describeRun(r: StowageResult): string {
  const how = r.timedOut ? `was killed: still running after ${r.ms} ms` : `exited ${r.code} after ${r.ms} ms`;
  return `\`${r.command}\` ${how}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Runs the CLI and throws (with both streams) unless it exits 0. */
export async function stowageOk(args: readonly string[], opts: RunStowageOptions): Promise<StowageResult> {
  const r = await runStowage(args, opts);
  if (r.code !== 0) throw new Error(`expected exit 0: ${describeRun(r)}`);
  return r;
}

/** Runs the CLI with `--json` output and parses stdout (throws with both streams otherwise). */
export async function stowageJson<T = unknown>(args: readonly string[], opts: RunStowageOptions): Promise<{ json: T; run: StowageResult }> {
  const run = await stowageOk(args, opts);
  try {
    return { json: JSON.parse(run.stdout) as T, run };
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message}): ${describeRun(run)}`);
  }
}
