import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessRun {
  /** Exit status; undefined when the process could not start or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  /** Why it could not start (`spawn docker ENOENT`). */
  startError?: string;
}

export interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine(line: string): void;
  onStart?(child: ChildProcess): void;
}

/**
 * Runs a program on the host in its own process group (so a cancel ends it and everything it
 * started), its stdout and stderr lines streamed to `onLine` as they come.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessRun> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  options.onStart?.(child);
  const lines = (stream: NodeJS.ReadableStream) => new Promise<void>((resolve) => createInterface({ input: stream }).on('line', options.onLine).on('close', resolve));
  const exit = new Promise<ProcessRun>((resolve) => {
    child.on('error', (error) => resolve({ startError: error.message }));
    child.on('close', (code, signal) => resolve(code === null ? { signal: signal ?? 'SIGKILL' } : { exitCode: code }));
  });
  return Promise.all([lines(child.stdout!), lines(child.stderr!), exit]).then(([, , run]) => run);
}

/** Ends a process group: SIGTERM, then SIGKILL after `graceMs` for whatever is still there. */
export function killGroup(child: ChildProcess | undefined, graceMs = 3000): void {
  const pid = child?.pid;
  if (pid === undefined) return;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), graceMs).unref();
}
