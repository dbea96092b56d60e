import { gcpErrorReason } from '@stowage/gcp';
import { StowageError } from '@stowage/plugin-api';
import type { CloudBuildState } from './CloudBuildStatus.js';

function hintFor(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === 404 || code === 5) return 'check `project` and `location`: Cloud Build knows no such build or operation there';
  if (code === 403 || code === 7) return 'the credentials may not use Cloud Build in this project (roles/cloudbuild.builds.editor), or the Cloud Build API is not enabled';
  return undefined;
}

/** BUILD_FAILED for a Cloud Build call that failed, in `@stowage/gcp`'s wording, with what to do next. */
export function callFailure(what: string, error: unknown): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint = hintFor(error);
  return new StowageError(`${what}: ${gcpErrorReason(error)}`, { code: 'BUILD_FAILED', cause: error, ...(hint ? { hint } : {}) });
}

/** `Step #1 - "build"`: how Cloud Build's log names a step. */
export const stepLabel = (step: { index: number; id?: string }) => `Step #${step.index}${step.id ? ` - "${step.id}"` : ''}`;

/** The first step that did not succeed (FAILURE or TIMEOUT before a CANCELLED one). */
export function failingStep(build: CloudBuildState): CloudBuildState['steps'][number] | undefined {
  return build.steps.find((s) => s.status === 'FAILURE' || s.status === 'TIMEOUT') ?? build.steps.find((s) => s.status === 'CANCELLED' || s.status === 'INTERNAL_ERROR');
}

/** BUILD_FAILED naming the failing step, Cloud Build's reason, the last log lines and the console link. */
export function buildFailure(build: CloudBuildState, imageName: string, lastLines: readonly string[], timeoutSeconds: number): StowageError {
  const step = failingStep(build);
  const where = step ? ` in ${stepLabel(step)}` : build.failureType ? ` (${build.failureType})` : '';
  const why = build.statusDetail ? `: ${build.statusDetail}` : build.status === 'TIMEOUT' ? `: it ran longer than build_timeout (${timeoutSeconds}s)` : '';
  const hint = build.status === 'TIMEOUT' ? 'raise `build_timeout`, or make the build faster' : 'fix the failing step in the Dockerfile or build settings, then build again';
  return new StowageError(`Cloud Build build ${build.id} of ${imageName} ended ${build.status}${where}${why}`, {
    code: 'BUILD_FAILED',
    details: [...(lastLines.length ? ['last log lines:', ...lastLines.map((l) => `  ${l}`)] : []), ...(build.logUrl ? [`logs: ${build.logUrl}`] : [])],
    hint,
  });
}
