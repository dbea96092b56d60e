import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { StowageError, type ProcessRequest, type ProcessResult, type ProcessRunner } from '@stowage/plugin-api';

export function describeCommand(command: readonly string[] | string): string {
  return typeof command === 'string' ? command : command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/** The real runner: child_process.spawn, a timeout, abort support, no shell for argv commands. */
export class NodeProcessRunner implements ProcessRunner {
  run(request: ProcessRequest): Promise<ProcessResult> {
    const shown = describeCommand(request.command);
    const [file, ...args] = typeof request.command === 'string' ? ['/bin/sh', '-c', request.command] : request.command;
    if (!file) return Promise.reject(new StowageError('empty command', { code: 'SUBPROCESS_FAILED' }));
    // spawn reports a missing working directory as ENOENT too, which would read "command not found".
    if (request.cwd && !existsSync(request.cwd)) {
      return Promise.reject(new StowageError(`cannot run \`${shown}\`: the folder ${request.cwd} does not exist`, { code: 'SUBPROCESS_FAILED' }));
    }
    return runChild({ file, args, shown, request });
  }
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

interface ChildCommand {
  file: string;
  args: readonly string[];
  /** The command as error messages show it. */
  shown: string;
  request: ProcessRequest;
}

function runChild(command: ChildCommand): Promise<ProcessResult> {
  const { file, args, request } = command;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      cwd: request.cwd,
      env: { ...process.env, ...request.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: request.signal,
    });
    const timeout = stopAfter(child, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const output = collectOutput(child);
    // A command may exit without reading its stdin (EPIPE): its exit code decides, not the pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.input ?? '');
    child.on('error', (cause: NodeJS.ErrnoException) => {
      timeout.clear();
      reject(couldNotStart(command, cause));
    });
    child.on('close', (code, signal) => {
      timeout.clear();
      const { stdout, stderr } = output();
      if (code === 0) return resolvePromise({ stdout, stderr, exitCode: 0 });
      reject(failed(command, { code, signal, timedOut: timeout.timedOut(), stdout, stderr }));
    });
  });
}

/**
 * Our own timer, not spawn's `timeout`: spawn never clears its timer when the command does
 * not exist (no exit event follows the error), which kept the CLI alive for the full timeout.
 */
function stopAfter(child: Child, ms: number): { clear(): void; timedOut(): boolean } {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, ms);
  return { clear: () => clearTimeout(timer), timedOut: () => timedOut };
}

/** Buffers stdout and stderr, together at most MAX_OUTPUT bytes; call the result once closed. */
function collectOutput(child: Child): () => { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_OUTPUT) into.push(chunk);
  };
  child.stdout.on('data', collect(out));
  child.stderr.on('data', collect(err));
  return () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
}

function couldNotStart({ file, shown }: ChildCommand, cause: NodeJS.ErrnoException): StowageError {
  const missing = cause.code === 'ENOENT';
  return new StowageError(missing ? `command not found: ${file}` : `could not run \`${shown}\`: ${cause.message}`, {
    code: 'SUBPROCESS_FAILED',
    cause,
    hint: missing ? `install ${file} or put it on PATH` : undefined,
  });
}

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

function failed({ shown, request }: ChildCommand, exit: ChildExit): StowageError {
  const why = exit.timedOut
    ? `took longer than ${formatDuration(request.timeoutMs ?? DEFAULT_TIMEOUT_MS)} and was stopped`
    : exit.signal
      ? `was stopped by ${exit.signal}`
      : `exited with code ${exit.code}`;
  return new StowageError(`\`${shown}\` ${why}`, {
    code: 'SUBPROCESS_FAILED',
    details: lastLines(exit.stderr || exit.stdout, 15),
  });
}

function lastLines(text: string, n: number): string[] {
  return text.trimEnd().split('\n').filter(Boolean).slice(-n);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
