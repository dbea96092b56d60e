import { sdkErrorReason, sdkErrorShape } from '@stowage/aws';
import { StowageError } from '@stowage/plugin-api';

/** A 404 about the object: the key is not there (HEAD answers 404 without a body for a missing bucket too). */
export function isMissingObject(error: unknown): boolean {
  const e = sdkErrorShape(error);
  return e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket';
}

/** What to do next, for the failures a user can fix. */
export function s3FailureHint(error: unknown, root: string): string | undefined {
  const e = sdkErrorShape(error);
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
  return new StowageError(`${message}: ${sdkErrorReason(error)}`, { code: 'ARTIFACT_STORE_FAILED', cause: error, ...(hint ? { hint } : {}) });
}
