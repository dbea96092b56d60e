import { gcpErrorReason } from '@stowage/gcp';
import { StowageError } from '@stowage/plugin-api';

/** The HTTP status and Google's message of a client error, however the client carried them. */
interface GoogleFailure {
  status?: number;
  message: string;
}

function jsonMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * storage's `ApiError` carries the HTTP status as a numeric `code`, and a failed download carries
 * Google's whole JSON error body as its message; gaxios errors (a session POST) carry
 * `response.status` and `response.data`.
 */
export function googleFailure(error: unknown): GoogleFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as { code?: unknown; response?: { status?: unknown; data?: unknown } };
  const status = typeof e.response?.status === 'number' ? e.response.status : typeof e.code === 'number' && e.code >= 100 && e.code < 600 ? e.code : undefined;
  const data = typeof e.response?.data === 'string' ? jsonMessage(e.response.data) : (e.response?.data as { error?: { message?: string } } | undefined)?.error?.message;
  // One line: some of the client's messages span several, indented.
  const message = (jsonMessage(error.message) ?? data ?? error.message).replace(/\s*\n\s*/g, ' ');
  return { ...(status !== undefined ? { status } : {}), message };
}

const NO_SUCH_BUCKET = /bucket does not exist/i;

export function isMissingBucket(error: unknown): boolean {
  const failure = googleFailure(error);
  return failure.status === 404 && NO_SUCH_BUCKET.test(failure.message);
}

/** A 404 about the object (GCS says which: a missing bucket is also 404, with its own message). */
export function isMissingObject(error: unknown): boolean {
  return googleFailure(error).status === 404 && !isMissingBucket(error);
}

const NETWORK = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'];

/** What to do next, for the failures a user can fix. */
export function gcsFailureHint(error: unknown, root: string): string | undefined {
  const { status, message } = googleFailure(error);
  if (/Could not load the default credentials/.test(message)) {
    return 'give the store credentials: `service_account_key` or `access_token` (as `${VAR}`), or Application Default Credentials (`gcloud auth application-default login`, GOOGLE_APPLICATION_CREDENTIALS)';
  }
  if (isMissingBucket(error)) return `the bucket of ${root} does not exist: create it (\`gcloud storage buckets create gs://${root.slice(5).split('/')[0]}\`), or fix \`path\``;
  if (status === 403) return `check that the credentials may use ${root} (storage.objects.create, get, list and delete, e.g. the Storage Object Admin role on the bucket)`;
  if (NETWORK.includes(String((error as { code?: unknown } | null)?.code)) || NETWORK.some((code) => message.includes(code))) {
    return 'check `endpoint` (or the network) and that Cloud Storage is reachable from here';
  }
  return undefined;
}

/** ARTIFACT_STORE_FAILED with Google's reason (one wording for all GCP plugins) and, where there is one, the next thing to do. */
export function gcsFailure(message: string, error: unknown, root: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const failure = googleFailure(error);
  // gcpErrorReason reads gaxios' shape (`response.status`, `response.data`, a network `code`): storage's errors, reshaped.
  const { code } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown };
  const shaped = Object.assign(new Error(failure.message), failure.status === undefined ? { code } : { response: { status: failure.status, data: { error: { message: failure.message } } } });
  const hint = gcsFailureHint(error, root);
  return new StowageError(`${message}: ${gcpErrorReason(shaped)}`, { code: 'ARTIFACT_STORE_FAILED', cause: error, ...(hint ? { hint } : {}) });
}
