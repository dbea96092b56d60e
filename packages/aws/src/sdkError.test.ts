import { describe, expect, it } from 'vitest';
import { sdkErrorReason, sdkErrorShape } from './sdkError.js';

/** An error shaped as the SDK throws them (a ServiceException: name, message, $metadata). */
function sdkError(name: string, message: string, status?: number, code?: string): Error {
  return Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...(code ? { code } : {}) });
}

describe('sdkErrorReason', () => {
  it.each([
    [sdkError('NoSuchBucket', 'The specified bucket does not exist', 404), 'NoSuchBucket (HTTP 404): The specified bucket does not exist'],
    [sdkError('Unknown', 'UnknownError', 403), 'HTTP 403'],
    [sdkError('NotFound', 'NotFound', 404), 'NotFound (HTTP 404)'],
    [sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), 'CredentialsProviderError: Could not load credentials from any providers'],
    [sdkError('InvalidSignatureException', 'The request signature we calculated does not match', 400), 'InvalidSignatureException (HTTP 400): The request signature we calculated does not match'],
    [sdkError('ResourceNotFoundException', 'Project cannot be found: arn:aws:codebuild:us-east-1:000000000000:project/missing'), 'ResourceNotFoundException: Project cannot be found: arn:aws:codebuild:us-east-1:000000000000:project/missing'],
    [new Error('disk read failed'), 'disk read failed'],
    ['a string', 'a string'],
  ])('%s → %s', (error, reason) => {
    expect(sdkErrorReason(error)).toBe(reason);
  });
});

describe('sdkErrorShape', () => {
  it('reads an object as the SDK error shape and anything else as none', () => {
    expect(sdkErrorShape(sdkError('NoSuchKey', 'gone', 404, 'E1')).$metadata?.httpStatusCode).toBe(404);
    expect(sdkErrorShape(sdkError('NoSuchKey', 'gone', 404, 'E1')).code).toBe('E1');
    expect(sdkErrorShape('a string')).toEqual({});
    expect(sdkErrorShape(null)).toEqual({});
  });
});
