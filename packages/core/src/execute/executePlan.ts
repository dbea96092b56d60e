import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { StowageError, type ProcessRunner } from '@stowage/plugin-api';
import type { BuildPlan, PlanStack, PlanStep } from '../model/plan.js';
import type { Redactor } from '../settings/Redactor.js';
import type { StackComponents } from '../stack/openStack.js';
import { TOKENS } from '../tokens.js';
import type { EngineEvent, ExecutionContext, ImageResult, StepExecutor, StepExecutors } from './ExecutionContext.js';
import { runLimited } from './runLimited.js';
import { STEP_EXECUTORS } from './stepExecutors.js';

export interface ExecuteOptions {
  /** Images worked on at once (default: 2 for a local builder, 4 for a remote one). */
  jobs?: number;
  signal?: AbortSignal;
  onEvent?(event: EngineEvent): void;
  /** Replaces executors (tests record what ran). */
  executors?: Partial<StepExecutors>;
}

/**
 * Every step the engine takes for a plan: the pre-steps, then each image's steps (in this order
 * per image; independent images run in parallel). None when an existing or given build is returned.
 */
export function planSteps(plan: BuildPlan): PlanStep[] {
  if (plan.outcome.kind !== 'new-build') return [];
  return [...plan.preSteps, ...plan.images.flatMap((i) => i.buildSteps)];
}

/**
 * The execute stage: takes the plan's steps and nothing else — the pre-steps, then each image's
 * steps in order, independent images in parallel — with one executor per step kind. A failure or
 * cancel stops the others and is reported; recording is the caller's (nothing half-done is).
 */
@injectable()
export class PlanExecutor {
  constructor(
    @inject(TOKENS.StackComponents) private readonly components: StackComponents,
    @inject(TOKENS.PlanStack) private readonly stack: PlanStack,
    @inject(TOKENS.ProcessRunner) private readonly runner: ProcessRunner,
    @inject(TOKENS.Redactor) private readonly redactor: Redactor,
  ) {}

  async execute(plan: BuildPlan, options: ExecuteOptions = {}): Promise<Map<string, ImageResult>> {
    const executors = { ...STEP_EXECUTORS, ...options.executors } as StepExecutors;
    const controller = new AbortController();
    const abort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) abort();
    const secrets = { add: (secret: string) => this.redactor.add(secret) };
    const ctx: ExecutionContext = { components: this.components, runner: this.runner, secrets, signal: controller.signal, emit: options.onEvent ?? (() => {}), results: new Map() };
    try {
      for (const step of plan.preSteps) await run(step, ctx, executors);
      const jobs = Math.max(1, options.jobs ?? (this.stack.imageBuilder.remote ? 4 : 2));
      await runLimited(plan.images, jobs, controller, async (image) => {
        for (const step of image.buildSteps) await run(step, ctx, executors);
      });
      // A Ctrl-C while the last step finished: the build is cancelled, not recorded.
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
    } catch (error) {
      if (options.signal?.aborted) throw new StowageError('build cancelled; nothing was recorded', { code: 'BUILD_CANCELLED', cause: error });
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
    return ctx.results;
  }
}

async function run(step: PlanStep, ctx: ExecutionContext, executors: StepExecutors): Promise<void> {
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
  ctx.emit({ type: 'step-start', step });
  await (executors[step.kind] as StepExecutor)(step, ctx);
  // Checked after every step too: a step that finished although the build was cancelled meanwhile
  // (a builder that ignores the signal, a push that completed) does not count as done.
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
  ctx.emit({ type: 'step-done', step, result: 'image' in step ? ctx.results.get(step.image) : undefined });
}
