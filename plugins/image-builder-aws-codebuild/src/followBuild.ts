import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetBuildsCommand, StopBuildCommand, type Build } from '@aws-sdk/client-codebuild';
import { StowageError, type BuildEvent } from '@stowage/plugin-api';
import { BuildLogTail } from './BuildLogTail.js';
import type { CodeBuildClients } from './createCodeBuildClients.js';
import { callFailure } from './codeBuildFailure.js';

export interface FollowOptions {
  pollMs: number;
  project: string;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller then checks `signal.aborted`). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Polls BatchGetBuilds every `pollMs` until the build leaves IN_PROGRESS, streaming its log lines
 * and phase changes; on abort (Ctrl-C) stops the build with StopBuild and throws BUILD_CANCELLED.
 */
export async function followBuild(clients: CodeBuildClients, started: Build, options: FollowOptions): Promise<{ build: Build; lastLines: readonly string[] }> {
  const tail = new BuildLogTail(clients.logs, (line) => options.onEvent({ type: 'log', line }));
  let build = started;
  let phase = build.currentPhase;
  while (build.buildStatus === 'IN_PROGRESS') {
    await pause(options.pollMs, options.signal);
    if (options.signal.aborted) throw await cancel(clients, build, options.project);
    build = await poll(clients, build.id!, options.project);
    if (build.currentPhase && build.currentPhase !== phase) options.onEvent({ type: 'step', step: `CodeBuild ${(phase = build.currentPhase)}` });
    await tail.drain(build.logs).catch((error: unknown) => {
      throw callFailure(`could not read the logs of CodeBuild build ${build.id}`, error, options.project);
    });
  }
  if (options.signal.aborted && build.buildStatus !== 'SUCCEEDED') throw await cancel(clients, build, options.project);
  return { build, lastLines: tail.last };
}

async function poll(clients: CodeBuildClients, id: string, project: string): Promise<Build> {
  const answer = await clients.codebuild.send(new BatchGetBuildsCommand({ ids: [id] })).catch((error: unknown) => {
    throw callFailure(`could not ask CodeBuild about build ${id}`, error, project);
  });
  const build = answer.builds?.[0];
  if (!build) throw new StowageError(`CodeBuild no longer knows build ${id}`, { code: 'BUILD_FAILED', hint: 'look for the build in the CodeBuild console' });
  return build;
}

/** StopBuild, then the cancellation; a StopBuild that fails is said, so the user can stop it by hand. */
async function cancel(clients: CodeBuildClients, build: Build, project: string): Promise<StowageError> {
  const stop = await clients.codebuild.send(new StopBuildCommand({ id: build.id! })).then(
    () => undefined,
    (error: unknown) => callFailure('StopBuild failed', error, project),
  );
  return new StowageError(`build cancelled: CodeBuild build ${build.id} ${stop ? 'could not be stopped' : 'was stopped'}`, {
    code: 'BUILD_CANCELLED',
    ...(stop ? { cause: stop, details: [stop.message], hint: `stop it in the console: ${build.logs?.deepLink ?? build.id}` } : {}),
  });
}
