import { StowageError } from '@stowage/plugin-api';

/**
 * One abort signal for an engine operation: the caller's signal (Ctrl-C) or the builder's
 * `timeout_seconds`, whichever comes first, and the error that explains which one it was.
 */
export class BuildDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private timedOut = false;

  constructor(
    callerSignal: AbortSignal,
    private readonly timeoutSeconds: number | undefined,
  ) {
    this.signal = AbortSignal.any([callerSignal, this.controller.signal]);
    if (timeoutSeconds !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutSeconds * 1000);
      // A pending timer must not keep a CLI alive after the build settled another way.
      this.timer.unref();
    }
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** BUILD_CANCELLED for Ctrl-C, BUILD_FAILED for the timeout. `what` is e.g. "building image x". */
  error(what: string): StowageError {
    if (this.timedOut) {
      return new StowageError(`${what} did not finish within timeout_seconds (${this.timeoutSeconds} s) and was stopped`, {
        code: 'BUILD_FAILED',
        hint: "raise the image builder's timeout_seconds, or make the build faster (a smaller context, cached layers)",
      });
    }
    return new StowageError(`${what} was cancelled`, { code: 'BUILD_CANCELLED' });
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
