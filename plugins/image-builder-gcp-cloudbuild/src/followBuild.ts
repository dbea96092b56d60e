import { setTimeout as sleep } from 'node:timers/promises';
import { StowageError, type BuildEvent } from '@stowage/plugin-api';
import { BuildLogTail } from './BuildLogTail.js';
import type { CloudBuildApi } from './CloudBuildApi.js';
import type { CloudBuildState } from './CloudBuildStatus.js';
import { callFailure, stepLabel } from './cloudBuildFailure.js';

export interface FollowOptions {
  pollMs: number;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller then checks `signal.aborted`). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** A `step` event each time a step starts working (from the operation's metadata). */
function stepReporter(onEvent: (event: BuildEvent) => void): (build: CloudBuildState | undefined) => void {
  const seen = new Set<number>();
  return (build) => {
    for (const step of build?.steps ?? []) {
      if (step.status === 'QUEUED' || step.status === 'STATUS_UNKNOWN' || seen.has(step.index)) continue;
      seen.add(step.index);
      onEvent({ type: 'step', step: `Cloud Build ${stepLabel(step)}` });
    }
  };
}

/**
 * Polls the build's long-running operation every `pollMs` until it is done, streaming the build
 * log and step starts; then reads the finished build. On abort (Ctrl-C) cancels the build with
 * CancelBuild and throws BUILD_CANCELLED.
 */
export async function followBuild(api: CloudBuildApi, operation: string, started: CloudBuildState, options: FollowOptions): Promise<{ build: CloudBuildState; lastLines: readonly string[] }> {
  const tail = new BuildLogTail((b, n, o) => api.readObject(b, n, o), { buildId: started.id, ...(started.logsBucket ? { logsBucket: started.logsBucket } : {}) }, (line) => options.onEvent({ type: 'log', line }));
  const say = (problem: string | undefined) => problem && options.onEvent({ type: 'status', message: `${problem}; the log is at ${started.logUrl ?? 'the Cloud Build console'}` });
  if (!tail.object) say(`Cloud Build build ${started.id} has no logs bucket to stream`);
  const report = stepReporter(options.onEvent);
  for (let done = false; !done; ) {
    await pause(options.pollMs, options.signal);
    if (options.signal.aborted) throw await cancel(api, started);
    const progress = await api.progress(operation).catch((error: unknown) => {
      throw callFailure(`could not follow Cloud Build build ${started.id}`, error);
    });
    report(progress.build);
    say(await tail.drain());
    done = progress.done;
  }
  const build = await api.get(started.id).catch((error: unknown) => {
    throw callFailure(`could not read Cloud Build build ${started.id}`, error);
  });
  // A done operation that ended in an error carries no metadata: the steps it ran are named from the build.
  report(build);
  say(await tail.drain());
  tail.flush();
  if (options.signal.aborted && build.status !== 'SUCCESS') throw await cancel(api, build);
  return { build, lastLines: tail.last };
}

/** CancelBuild, then the cancellation; a cancel that fails is said, so the user can cancel it by hand. */
async function cancel(api: CloudBuildApi, build: CloudBuildState): Promise<StowageError> {
  const failed = await api.cancel(build.id).then(
    () => undefined,
    (error: unknown) => callFailure('CancelBuild failed', error),
  );
  return new StowageError(`build cancelled: Cloud Build build ${build.id} ${failed ? 'could not be cancelled' : 'was cancelled'}`, {
    code: 'BUILD_CANCELLED',
    ...(failed ? { cause: failed, details: [failed.message], hint: `cancel it in the console: ${build.logUrl ?? build.id}` } : {}),
  });
}
