import type { ChildProcess } from 'node:child_process';
import { timestamp, type BuiltImage, type Failure } from './BuildState.js';
import { runProcess } from './runProcess.js';

export interface PushRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  onStart(child: ChildProcess): void;
  /** True once the build is cancelled or timed out: no further image is pushed. */
  stopped(): boolean;
}

const DIGEST = /digest: (sha256:[0-9a-f]{64})/;

function failureOf(name: string, output: readonly string[]): Failure {
  const text = output.join('\n');
  if (/does not exist locally|No such image|tag does not exist/i.test(text)) {
    return { type: 'PUSH_IMAGE_NOT_FOUND', detail: `failed to find one or more images after execution of build steps: ["${name}"]` };
  }
  const last = output.at(-1) ?? 'docker push failed';
  if (/unauthorized|authentication required|no basic auth credentials|denied/i.test(text)) return { type: 'PUSH_NOT_AUTHORIZED', detail: `pushing ${name}: ${last}` };
  return { type: 'PUSH_FAILED', detail: `error pushing image "${name}": ${last}` };
}

/**
 * Cloud Build's PUSH phase: after every step succeeded, each of `images` is pushed (with the
 * build's Docker login) and its digest read from the push, as `results.images[]`.
 */
export async function pushImages(images: readonly string[], run: PushRun): Promise<{ images: BuiltImage[]; failure?: Failure }> {
  const pushed: BuiltImage[] = [];
  for (const name of images) {
    if (run.stopped()) break;
    const startTime = timestamp();
    const output: string[] = [];
    run.log(`Pushing ${name}`);
    const result = await runProcess('docker', ['push', name], { cwd: run.cwd, env: run.env, onStart: run.onStart, onLine: (line) => (output.push(line), run.log(line)) });
    const digest = output.map((l) => DIGEST.exec(l)?.[1]).find(Boolean);
    if (result.exitCode !== 0 || !digest) return { images: pushed, failure: run.stopped() ? undefined : failureOf(name, output) };
    pushed.push({ name, digest, pushTiming: { startTime, endTime: timestamp() } });
  }
  return { images: pushed };
}
