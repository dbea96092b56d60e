import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseImageReference } from '@stowage/plugin-api';
import type { StepSpec } from './BuildRequest.js';
import { runProcess } from './runProcess.js';

/** The one builder the emulator runs: its entrypoint (`docker` unless the step names another) runs on the host. */
export const DOCKER_BUILDER = 'gcr.io/cloud-builders/docker';

export interface StepRun {
  index: number;
  spec: StepSpec;
  workspace: string;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  onStart(child: ChildProcess): void;
}

export type StepResult = { ok: true } | { ok: false; reason: string; exitCode?: number };

/** `Step #0` or `Step #0 - "build"`: how Cloud Build's log names a step. */
export const stepLabel = (index: number, id?: string) => `Step #${index}${id ? ` - "${id}"` : ''}`;

export function isDockerBuilder(name: string): boolean {
  try {
    const ref = parseImageReference(name);
    return ref.registry === 'gcr.io' && ref.repository === 'cloud-builders/docker';
  } catch {
    return false;
  }
}

/** The step's working folder: `dir` relative to /workspace (or under /workspace), never outside it. */
function stepDir(workspace: string, dir: string): string | undefined {
  const inside = dir === '/workspace' || dir.startsWith('/workspace/') ? dir.slice('/workspace'.length).replace(/^\//, '') : dir;
  if (isAbsolute(inside)) return undefined;
  const cwd = resolve(workspace, inside);
  const rel = relative(workspace, cwd);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep)) ? cwd : undefined;
}

/**
 * Runs one step of the `gcr.io/cloud-builders/docker` builder on the host: the image cannot be
 * pulled here, so its entrypoint (`docker`, or the step's `entrypoint`) runs as the host's program
 * with the step's args, env and dir. Any other builder image fails its step.
 */
export async function runBuildStep(run: StepRun): Promise<StepResult> {
  const prefix = `${stepLabel(run.index, run.spec.id)}: `;
  if (!isDockerBuilder(run.spec.name)) {
    return { ok: false, reason: `builder image "${run.spec.name}" cannot be pulled here: the emulator runs only ${DOCKER_BUILDER} (as the host's docker)` };
  }
  const cwd = stepDir(run.workspace, run.spec.dir);
  if (!cwd) return { ok: false, reason: `dir "${run.spec.dir}" is outside /workspace, which is all the emulator maps to the host` };
  await mkdir(cwd, { recursive: true });
  const command = run.spec.entrypoint ?? 'docker';
  run.log(`${prefix}(emulator) ${run.spec.name} is not pulled: its entrypoint runs on the host as ${command}`);
  const result = await runProcess(command, run.spec.args, { cwd, env: run.env, onLine: (line) => run.log(prefix + line), onStart: run.onStart });
  if (result.exitCode === 0) return { ok: true };
  if (result.startError) return { ok: false, reason: `starting step container failed: ${result.startError}` };
  if (result.exitCode !== undefined) return { ok: false, reason: `step exited with non-zero status: ${result.exitCode}`, exitCode: result.exitCode };
  return { ok: false, reason: `step was killed by ${result.signal ?? 'a signal'}` };
}

/** `KEY=VALUE` entries as an environment (the last one of a key wins). */
export function envOf(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Which steps a step waits for: every earlier one by default, none for `waitFor: ['-']`, else the named ones. */
export function dependenciesOf(steps: readonly Pick<StepSpec, 'id' | 'waitFor'>[], index: number): number[] {
  const waitFor = steps[index]!.waitFor;
  if (waitFor === undefined) return [...Array(index).keys()];
  return waitFor.filter((id) => id !== '-').map((id) => steps.findIndex((s) => s.id === id));
}
