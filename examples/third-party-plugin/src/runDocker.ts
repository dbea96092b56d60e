import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StowageError } from '@stowage/plugin-api';

export interface DockerRun {
  /** For messages: `building image x`, `pushing x`. */
  what: string;
  stdin?: Readable;
  env?: Readonly<Record<string, string>>;
  signal: AbortSignal;
  onLine(line: string): void;
}

/** How a docker CLI run ended: its exit code and last 20 output lines. */
export interface DockerExit {
  exitCode: number | null;
  tail: string[];
}

/** Runs the docker CLI (argv, no shell), streaming its output lines; rejects only when it could not run or was cancelled. */
export function runDocker(binary: string, args: readonly string[], run: DockerRun): Promise<DockerExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...run.env }, signal: run.signal });
    const tail: string[] = [];
    let failure: unknown;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        run.onLine(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // docker may exit before reading all of stdin (a bad flag): that is its exit code's story, not EPIPE's.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => (failure ??= error));
    run.stdin?.once('error', (error) => {
      failure ??= error;
      child.kill();
    });
    child.on('close', (exitCode) => (failure || run.signal.aborted ? reject(runError(binary, run, failure)) : resolve({ exitCode, tail })));
    if (run.stdin) run.stdin.pipe(child.stdin);
    else child.stdin.end();
  });
}

function runError(binary: string, run: DockerRun, failure: unknown): StowageError {
  if (run.signal.aborted) return new StowageError(`${run.what} was cancelled`, { code: 'BUILD_CANCELLED' });
  if (StowageError.isInstance(failure)) return failure;
  const reason = failure instanceof Error ? failure.message : String(failure);
  return new StowageError(`could not run ${binary} for ${run.what}: ${reason}`, {
    code: 'ENGINE_UNAVAILABLE',
    cause: failure,
    hint: 'install the docker CLI (or set docker_binary), and check that it can reach an engine (`docker info`)',
  });
}
