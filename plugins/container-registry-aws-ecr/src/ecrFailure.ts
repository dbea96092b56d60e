import { sdkErrorReason, sdkErrorShape } from '@stowage/aws';
import { StowageError } from '@stowage/plugin-api';

const CREDENTIALS_HINT = 'give the registry credentials: `access_key_id` and `secret_access_key` (as `${VAR}`), AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

/** What to do next, for the failures a user can fix. */
export function ecrFailureHint(error: unknown, uri: string): string | undefined {
  const e = sdkErrorShape(error);
  if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) return CREDENTIALS_HINT;
  if (e.name === 'InvalidSignatureException' || e.name === 'SignatureDoesNotMatch') {
    return 'AWS rejected the request signature: check that `secret_access_key` (or AWS_SECRET_ACCESS_KEY) belongs to the access key id, and the machine clock';
  }
  if (e.name === 'UnrecognizedClientException' || e.name === 'InvalidClientTokenId' || e.name === 'ExpiredTokenException') {
    return 'AWS does not know this access key or session token (deleted, expired, or from another partition): renew the credentials';
  }
  if (e.name === 'AccessDeniedException' || e.$metadata?.httpStatusCode === 403) {
    return `check that the credentials may use ${uri} (ecr:GetAuthorizationToken, ecr:DescribeRepositories, ecr:CreateRepository, ecr:BatchGetImage)`;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET'].includes(e.code ?? '')) {
    return 'check `endpoint` (or the network) and that the ECR API is reachable from here';
  }
  return undefined;
}

/** REGISTRY_FAILED with ECR's reason and, where there is one, the next thing to do. */
export function ecrFailure(message: string, error: unknown, uri: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const hint = ecrFailureHint(error, uri);
  return new StowageError(`${message}: ${sdkErrorReason(error)}`, { code: 'REGISTRY_FAILED', cause: error, ...(hint ? { hint } : {}) });
}
