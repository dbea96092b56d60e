import type { EngineEvent } from '../execute/ExecutionContext.js';

/**
 * Seconds each image's steps took, from the engine's step events (first start to last done),
 * recorded with the build. The clock is read here, at the edge, never in the planner.
 */
export class ImageTimings {
  private readonly spans = new Map<string, { start: number; end?: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Wraps an event listener: timings are taken, then the event goes on. */
  follow(next?: (event: EngineEvent) => void): (event: EngineEvent) => void {
    return (event) => {
      if (event.type !== 'image-event' && 'image' in event.step) {
        const span = this.spans.get(event.step.image);
        if (event.type === 'step-start' && !span) this.spans.set(event.step.image, { start: this.now() });
        if (event.type === 'step-done' && span) span.end = this.now();
      }
      next?.(event);
    };
  }

  /** Per image key: seconds from its first step's start to its last step's end, to a tenth. */
  seconds(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, span] of this.spans) if (span.end !== undefined) out.set(key, Math.round((span.end - span.start) / 100) / 10);
    return out;
  }
}
