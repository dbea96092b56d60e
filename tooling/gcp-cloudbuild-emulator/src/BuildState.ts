/** Cloud Build's `Build.Status` values the emulator reaches (strings; numbers only on the wire when asked). */
export type BuildStatus = 'QUEUED' | 'WORKING' | 'SUCCESS' | 'FAILURE' | 'INTERNAL_ERROR' | 'TIMEOUT' | 'CANCELLED';

/** `Build.FailureInfo.FailureType`. */
export type FailureType = 'PUSH_FAILED' | 'PUSH_IMAGE_NOT_FOUND' | 'PUSH_NOT_AUTHORIZED' | 'LOGGING_FAILURE' | 'USER_BUILD_STEP' | 'FETCH_SOURCE_FAILED';

export interface Failure {
  type: FailureType;
  detail: string;
}

/** `TimeSpan`, RFC 3339 timestamps. */
export interface TimeSpan {
  startTime: string;
  endTime?: string;
}

/** The output-only fields of one step. */
export interface StepState {
  status: BuildStatus;
  timing?: TimeSpan;
  exitCode?: number;
}

/** `results.images[]`. */
export interface BuiltImage {
  name: string;
  digest: string;
  pushTiming: TimeSpan;
}

export const TERMINAL: ReadonlySet<BuildStatus> = new Set(['SUCCESS', 'FAILURE', 'INTERNAL_ERROR', 'TIMEOUT', 'CANCELLED']);

export const timestamp = (at = Date.now()) => new Date(at).toISOString();
