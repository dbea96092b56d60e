import { join } from 'node:path';
import { STOWAGE_STATE_DIR, type BuildPlan, type BuildResult, type ExecuteOptions, type Stowage } from '@stowage/core';
import type { CliSession } from '../CliSession.js';
import { BuildLogs } from '../logs/BuildLogs.js';
import type { AttemptRecord } from '../logs/savedLogs.js';
import { BuildProgress } from './BuildProgress.js';
import { chooseProgressMode, wantsColour } from './progressMode.js';

export interface BuildRun {
  result: BuildResult;
  progress: BuildProgress;
  /** The attempt's log folder, when anything ran. */
  logs?: BuildLogs;
}

/**
 * Executes a plan with its progress on stderr (`--progress`, `--quiet`, `--verbose`) and its full
 * logs saved under `.stowage/logs/<attempt>/`; on failure every image's final state and the
 * failed image's log path are left on screen before the error.
 */
export async function buildWithProgress(session: CliSession, stowage: Stowage, plan: BuildPlan, o: { jobs?: number; progress?: string }): Promise<BuildRun> {
  const { io, options } = session;
  const mode = options.quiet ? 'quiet' : chooseProgressMode(o.progress, io);
  const runs = plan.outcome.kind === 'new-build' && (plan.images.length > 0 || plan.preSteps.length > 0);
  const logs = runs ? startLogs(join(stowage.project.root, STOWAGE_STATE_DIR), io) : undefined;
  const progress = new BuildProgress(io, session.redactor(), plan, { mode, verbose: options.verbose, colour: wantsColour(io), logs });
  const execute: ExecuteOptions = { jobs: o.jobs, signal: io.signal, onEvent: progress.onEvent };
  try {
    const result = await stowage.build(plan, execute);
    progress.finish();
    logs?.finish(attemptRecord(plan, progress, logs, 'succeeded', result.build.id));
    if (logs?.failure) io.stderr(`warning: the build logs could not all be saved under ${logs.dir} (${logs.failure}); the build is not affected\n`);
    return { result, progress, logs };
  } catch (error) {
    progress.finish(error);
    const cancelled = Boolean(io.signal?.aborted) || (error as { code?: string }).code === 'BUILD_CANCELLED';
    logs?.finish(attemptRecord(plan, progress, logs, cancelled ? 'cancelled' : 'failed'));
    throw error;
  }
}

function attemptRecord(plan: BuildPlan, progress: BuildProgress, logs: BuildLogs, outcome: AttemptRecord['outcome'], buildId?: string): Omit<AttemptRecord, 'attempt'> {
  const images = [...progress.state.rows.values()].map((r) => ({
    key: r.key,
    imageName: r.imageName,
    state: r.state,
    seconds: r.started !== undefined && r.ended !== undefined ? Math.round((r.ended - r.started) / 100) / 10 : undefined,
    log: logs.pathOf(r.key).slice(logs.dir.length + 1),
  }));
  return { pipeline: plan.pipeline, stack: plan.stack.name, started: new Date(Date.now() - progress.seconds() * 1000).toISOString(), seconds: Math.round(progress.seconds() * 10) / 10, outcome, buildId, images };
}

/** The attempt's log folder; a `.stowage/logs` that cannot be written costs the logs, never the build. */
function startLogs(stateDir: string, io: CliSession['io']): BuildLogs | undefined {
  try {
    return BuildLogs.start(stateDir);
  } catch (error) {
    io.stderr(`warning: the build logs will not be saved under ${join(stateDir, 'logs')} (${error instanceof Error ? error.message : String(error)})\n`);
    return undefined;
  }
}
