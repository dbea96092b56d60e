import type { BuildPlan, EngineEvent, PlanStep } from '@stowage/core';
import { terminalLine } from './terminalLine.js';

export type ImageState = 'queued' | 'running' | 'built' | 'reused' | 'unchanged' | 'failed' | 'cancelled';

/** One image as a user follows it: its state, what it is doing, its timer and its last log lines. */
export interface ImageRow {
  key: string;
  imageName: string;
  state: ImageState;
  /** What it is doing while running: `building`, `pushing`, … */
  activity?: string;
  /** `step 2/5` while a Dockerfile step runs. */
  step?: string;
  /** The name the running step builds or pushes (a Dockerfile image's intermediate name differs). */
  stepImage?: string;
  started?: number;
  ended?: number;
  digest?: string;
  /** Steps of the plan still to run for this image. */
  remaining: number;
  tail: string[];
}

/** The plan's key for pre-steps (the code archive upload), shown as its own row. */
export const CODE_ROW = 'code archive';

const DOCKER_STEP = /(?:^Step\s+|\[(?:[^\]\s]+\s+)?)(\d+)\/(\d+)\]?/;

/**
 * Follows a build's engine events and keeps every image's row (pure: the clock is passed in).
 * Rows exist from the start, so queued images show before any of their steps runs.
 */
export class ImageProgress {
  readonly rows = new Map<string, ImageRow>();

  private readonly actions: Map<string, BuildPlan['images'][number]['action']>;

  constructor(
    plan: BuildPlan,
    private readonly tailSize: number,
  ) {
    const newBuild = plan.outcome.kind === 'new-build';
    if (newBuild && plan.preSteps.length) this.rows.set(CODE_ROW, row(CODE_ROW, '', plan.preSteps.length));
    for (const image of plan.images) {
      const r = row(image.key, image.imageName, newBuild ? image.buildSteps.length : 0);
      // An existing build returned as-is runs nothing: every image is unchanged from the start.
      if (!newBuild) r.state = 'unchanged';
      this.rows.set(image.key, r);
    }
    this.actions = new Map(plan.images.map((i) => [i.key, i.action]));
  }

  /** Applies one event; returns the row it changed and whether its state (not just its log) changed. */
  apply(event: EngineEvent, now: number): { row: ImageRow; stateChanged: boolean; line?: string } | undefined {
    const key = event.type === 'image-event' ? event.key : keyOf(event.step);
    const r = this.rows.get(key);
    if (!r) return undefined;
    switch (event.type) {
      case 'step-start':
        r.started ??= now;
        r.state = 'running';
        r.activity = activityOf(event.step);
        r.stepImage = 'imageName' in event.step ? event.step.imageName : undefined;
        r.step = undefined;
        return { row: r, stateChanged: true };
      case 'step-done':
        r.remaining = Math.max(0, r.remaining - 1);
        if (event.result?.digest) r.digest = event.result.digest;
        if (r.remaining > 0) return { row: r, stateChanged: false };
        r.ended = now;
        r.state = finalState(this.actions.get(key));
        r.activity = r.step = undefined;
        r.tail = [];
        return { row: r, stateChanged: true };
      case 'image-event': {
        const e = event.event;
        if (e.type === 'step') {
          const m = DOCKER_STEP.exec(e.step);
          r.step = m ? `step ${m[1]}/${m[2]}` : undefined;
          return { row: r, stateChanged: true };
        }
        const line = terminalLine(e.type === 'log' ? e.line : e.message);
        if (!line.trim()) return undefined;
        r.tail = [...r.tail, line].slice(-this.tailSize);
        return { row: r, stateChanged: false, line };
      }
    }
  }

  /** The build ended with an error: the image it names failed, the others that had not finished were cancelled. */
  fail(error: unknown, cancelled: boolean, now: number): void {
    const message = error instanceof Error ? error.message : String(error);
    const open = [...this.rows.values()].filter((r) => r.state === 'running' || r.state === 'queued');
    const running = open.filter((r) => r.state === 'running');
    // The engine reports no per-image failure event: the failing image is the one the error names
    // (or the only one running); images stopped because of it are cancelled.
    const named = running.filter((r) => [r.imageName, r.stepImage].some((name) => name && message.includes(name)) || message.includes(`image ${r.key}:`));
    const culprits = cancelled ? [] : named.length ? named : running;
    for (const r of open) {
      r.state = culprits.includes(r) ? 'failed' : 'cancelled';
      if (r.started !== undefined) r.ended = now;
      r.activity = r.step = undefined;
    }
  }

  /** How many images are in each state (the code row is not an image). */
  counts(): Record<ImageState, number> {
    const counts: Record<ImageState, number> = { queued: 0, running: 0, built: 0, reused: 0, unchanged: 0, failed: 0, cancelled: 0 };
    for (const r of this.images()) counts[r.state]++;
    return counts;
  }

  images(): ImageRow[] {
    return [...this.rows.values()].filter((r) => r.key !== CODE_ROW);
  }
}

function row(key: string, imageName: string, remaining: number): ImageRow {
  return { key, imageName, state: 'queued', remaining, tail: [] };
}

function keyOf(step: PlanStep): string {
  return 'image' in step ? step.image : CODE_ROW;
}

function finalState(action: BuildPlan['images'][number]['action'] | undefined): ImageState {
  if (action === 'build') return 'built';
  if (action === 'reuse') return 'reused';
  // The code row, and images that run in their parent image as-is.
  return action === undefined ? 'built' : 'unchanged';
}

function activityOf(step: PlanStep): string {
  switch (step.kind) {
    case 'docker-build':
      return step.role === 'dockerfile' ? 'building your Dockerfile' : 'building';
    case 'push':
      return 'pushing';
    case 'stage-context':
      return 'staging the build context';
    case 'upload-code-archive':
      return 'uploading the code';
    case 'append-layer':
      return 'appending code layers';
    case 'reuse':
      return 'reusing';
    case 'tag':
      return 'tagging';
    case 'use-parent':
    case 'skip-build':
      return 'using the parent image';
  }
}
