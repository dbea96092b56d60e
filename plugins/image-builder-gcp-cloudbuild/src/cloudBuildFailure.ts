import { gcpErrorReason } from '@stowage/gcp';
import { StowageError } from '@stowage/plugin-api';
import type { CloudBuildState } from './CloudBuildStatus.js';
import { googleStatus } from './googleStatus.js';

function hintFor(error: unknown): string | undefined {
  const status = googleStatus(error);
  if (status === 404) return 'check `project` and `location`: Cloud Build knows no such build or operation there';
  if (status === 403) return 'the credentials may not use Cloud Build in this project (roles/cloudbuild.builds.editor), or the Cloud Build API is not enabled';
  return undefined;
}

/** BUILD_FAILED for a Cloud Build call that failed, in `@stowage/gcp`'s wording, with what to do next. */
export function callFailure(what: string, error: unknown): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint = hintFor(error);
  return new StowageError(`${what}: ${gcpErrorReason(error)}`, { code: 'BUILD_FAILED', cause: error, ...(hint ? { hint } : {}) });
}

/** BUILD_FAILED for a Secret Manager call that failed: the permissions the builder's credentials need, or the alternative. */
export function secretFailure(what: string, error: unknown, project: string, prefix: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint =
    `the builder's credentials need secretmanager.secrets.create, secretmanager.versions.add and secretmanager.secrets.delete on the secrets \`${prefix}-*\` of project ${project} ` +
    '(a custom role with those three, or roles/secretmanager.admin), and the Secret Manager API enabled; or keep the registry login in Secret Manager and set `registry_username_secret` and `registry_password_secret`';
  return new StowageError(`${what}: ${gcpErrorReason(error)}`, { code: 'BUILD_FAILED', cause: error, hint });
}

// Cloud Build's words when a step's secretEnv could not be read (`failed to access secret version for secret …`).
const SECRET_READ = /failed to access secret version for secret (\S+?):/;

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
  const secret = SECRET_READ.exec(build.statusDetail ?? '')?.[1];
  const hint =
    build.status === 'TIMEOUT'
      ? 'raise `build_timeout`, or make the build faster'
      : secret
        ? `Cloud Build could not read ${secret}: check that the secret has that version (\`registry_username_secret\`, \`registry_password_secret\`) and that the build's service account may read it (roles/secretmanager.secretAccessor)`
        : 'fix the failing step in the Dockerfile or build settings, then build again';
  return new StowageError(`Cloud Build build ${build.id} of ${imageName} ended ${build.status}${where}${why}`, {
    code: 'BUILD_FAILED',
    details: [...(lastLines.length ? ['last log lines:', ...lastLines.map((l) => `  ${l}`)] : []), ...(build.logUrl ? [`logs: ${build.logUrl}`] : [])],
    hint,
  });
}
