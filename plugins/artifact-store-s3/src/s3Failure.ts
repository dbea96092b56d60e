import { StowageError } from '@stowage/plugin-api';

/** The parts of an SDK error (S3ServiceException, a credentials or network error) Stowage reads. */
interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** A 404 about the object: the key is not there (HEAD answers 404 without a body for a missing bucket too). */
export function isMissingObject(error: unknown): boolean {
  const e = shapeOf(error);
  return e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket';
}

/**
 * S3's error code and HTTP status, then its message: `NoSuchBucket (HTTP 404): The specified bucket
 * does not exist`. HEAD responses have no body, so the SDK knows only the status (`Unknown`).
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = shapeOf(error).$metadata?.httpStatusCode;
  const name = error.name === 'Error' || error.name === 'Unknown' ? '' : error.name;
  const label = status ? (name ? `${name} (HTTP ${status})` : `HTTP ${status}`) : name;
  const message = /^(Unknown(Error)?)?$/.test(error.message) || error.message === error.name ? '' : error.message;
  return [label, message].filter(Boolean).join(': ') || String(error);
}

/** What to do next, for the failures a user can fix. */
export function s3FailureHint(error: unknown, root: string): string | undefined {
  const e = shapeOf(error);
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) {
    return 'give the store credentials: `access_key_id` and `secret_access_key` (as `${VAR}`), AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (e.name === 'NoSuchBucket') return `the bucket of ${root} does not exist: create it, or fix \`path\``;
  if (e.name === 'PermanentRedirect' || e.name === 'AuthorizationHeaderMalformed' || status === 301) {
    return "set `region` to the bucket's region";
  }
  if (status === 403) {
    return `check the credentials, and that they may use ${root} (s3:GetObject, s3:PutObject, s3:ListBucket, s3:DeleteObject, s3:AbortMultipartUpload); without s3:ListBucket S3 answers 403 for a missing object`;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'].includes(e.code ?? '')) {
    return 'check `endpoint` (or the network) and that the store is reachable from here';
  }
  return undefined;
}

/** ARTIFACT_STORE_FAILED with S3's reason and, where there is one, the next thing to do. */
export function s3Failure(message: string, error: unknown, root: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint = s3FailureHint(error, root);
  return new StowageError(`${message}: ${reasonOf(error)}`, { code: 'ARTIFACT_STORE_FAILED', cause: error, ...(hint ? { hint } : {}) });
}
