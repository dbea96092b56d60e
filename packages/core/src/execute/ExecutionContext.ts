import type { BuildEvent, PlanStep } from '../model/plan.js';
import type { ProcessRunner, SecretSink } from '@stowage/plugin-api';
import type { StackComponents } from '../stack/openStack.js';

export type EngineEvent =
  | { type: 'step-start'; step: PlanStep }
  | { type: 'step-done'; step: PlanStep; result?: ImageResult }
  | { type: 'image-event'; key: string; event: BuildEvent };

/** What one image ended up as: the name its steps run in, and the pushed digest. */
export interface ImageResult {
  imageName: string;
  digest?: string;
  /** The image's id where it was built (local builders): reuse without a registry checks it. */
  imageId?: string;
  /** Its size in bytes, when the builder reported one. */
  sizeBytes?: number;
  /** Code appended as layers: the dependency image appended to (`name@digest`). */
  dependency?: { imageName: string; imageReference: string };
}

/** What every executor may use: the stack's components and where results go. No decisions. */
export interface ExecutionContext {
  components: StackComponents;
  /** Runs `git` for the code archive's file list. */
  runner: ProcessRunner;
  /** Where secrets met while executing (registry tokens) are registered: the redactor. */
  secrets: SecretSink;
  signal: AbortSignal;
  emit(event: EngineEvent): void;
  /** By image key. */
  results: Map<string, ImageResult>;
}

/** Runs one kind of step. */
export type StepExecutor<S extends PlanStep = PlanStep> = (step: S, ctx: ExecutionContext) => Promise<void>;

export type StepExecutors = { [K in PlanStep['kind']]: StepExecutor<Extract<PlanStep, { kind: K }>> };
