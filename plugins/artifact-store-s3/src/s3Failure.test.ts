import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { isMissingObject, s3Failure, s3FailureHint } from './s3Failure.js';

/** An error shaped as the SDK throws them (S3ServiceException: name, message, $metadata). */
function sdkError(name: string, message: string, status?: number, code?: string): Error {
  return Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...(code ? { code } : {}) });
}

const ROOT = 's3://acme/stowage';

describe('s3FailureHint', () => {
  it.each([
    [sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), /^give the store credentials/],
    [sdkError('NoSuchBucket', 'x', 404), /^the bucket of s3:\/\/acme\/stowage does not exist/],
    [sdkError('PermanentRedirect', 'x', 301), /^set `region` to the bucket's region$/],
    [sdkError('AuthorizationHeaderMalformed', 'x', 400), /^set `region`/],
    [sdkError('AccessDenied', 'Access Denied', 403), /^check the credentials, and that they may use s3:\/\/acme\/stowage/],
    [sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:9', undefined, 'ECONNREFUSED'), /^check `endpoint`/],
    [sdkError('Error', 'getaddrinfo ENOTFOUND minio.internal', undefined, 'ENOTFOUND'), /^check `endpoint`/],
  ])('%s', (error, hint) => {
    expect(s3FailureHint(error, ROOT)).toMatch(hint);
  });

  it('has none for failures a user cannot fix by configuration', () => {
    expect(s3FailureHint(sdkError('InternalError', 'We encountered an internal error', 500), ROOT)).toBeUndefined();
    expect(s3FailureHint(new Error('stream broke'), ROOT)).toBeUndefined();
  });
});

describe('isMissingObject', () => {
  it('is a 404 about the object, not about the bucket', () => {
    expect(isMissingObject(sdkError('NoSuchKey', 'x', 404))).toBe(true);
    expect(isMissingObject(sdkError('NotFound', 'NotFound', 404))).toBe(true);
    expect(isMissingObject(sdkError('NoSuchBucket', 'x', 404))).toBe(false);
    expect(isMissingObject(sdkError('AccessDenied', 'x', 403))).toBe(false);
  });
});

describe('s3Failure', () => {
  it('is ARTIFACT_STORE_FAILED with the cause kept, and passes a StowageError through', () => {
    const cause = sdkError('NoSuchBucket', 'The specified bucket does not exist', 404);
    const failure = s3Failure('could not write a.tar to s3://acme/stowage', cause, ROOT);
    expect(failure).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', cause, plugin: undefined });
    const own = new StowageError('bad key', { code: 'USAGE' });
    expect(s3Failure('x', own, ROOT)).toBe(own);
  });
});
