import { StowageError } from '@stowage/plugin-api';

export interface BuildFailure {
  imageName: string;
  /** The Dockerfile step that failed (`Step 2/3 : RUN make`, `[2/3] RUN make`), when one had started. */
  step?: string;
  /** The engine's own error text. */
  engineError: string;
  /** The last build log lines. */
  logTail: readonly string[];
}

/** BUILD_FAILED naming the image, the failing step and the engine's reason, with the log tail as details. */
export function buildFailedError(failure: BuildFailure, cause?: unknown): StowageError {
  const where = failure.step ? `at ${failure.step}` : 'before any Dockerfile step ran';
  return new StowageError(`building image ${failure.imageName} failed ${where}: ${failure.engineError}`, {
    code: 'BUILD_FAILED',
    cause,
    details: [...failure.logTail],
    hint: failure.step
      ? 'fix that Dockerfile step (or the files and build arguments it uses) and build again; the last log lines are shown above'
      : 'the engine rejected the build before running it: check the Dockerfile syntax and that the build context contains it',
  });
}
