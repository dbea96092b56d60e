import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { gcsFailure, gcsFailureHint, googleFailure, isMissingBucket, isMissingObject } from './gcsFailure.js';

const ROOT = 'gs://acme/stowage';
/** storage's ApiError: the HTTP status as `code`. */
const apiError = (code: number, message: string) => Object.assign(new Error(message), { code });
/** A failed download: Google's JSON body as the message. */
const downloadError = (code: number, message: string) => apiError(code, JSON.stringify({ error: { code, message, errors: [] } }));
/** gaxios (a session POST): `response.status` and the parsed body. */
const gaxiosError = (status: number, message: string) => Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data: { error: { message } } } });

describe('the shapes of Google client errors', () => {
  it.each([
    ['an ApiError', apiError(404, 'No such object: acme/a'), { status: 404, message: 'No such object: acme/a' }],
    ['a failed download', downloadError(404, 'No such object: acme/a'), { status: 404, message: 'No such object: acme/a' }],
    ['a gaxios error', gaxiosError(401, 'Invalid Credentials'), { status: 401, message: 'Invalid Credentials' }],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { message: 'connect ECONNREFUSED 127.0.0.1:9' }],
    ['a message over several lines', new Error('line one.\n    line two.'), { message: 'line one. line two.' }],
  ])('%s', (_what, error, failure) => {
    expect(googleFailure(error)).toEqual(failure);
  });

  it('tells a missing bucket from a missing object (both 404)', () => {
    const bucket = downloadError(404, 'The specified bucket does not exist.');
    expect([isMissingBucket(bucket), isMissingObject(bucket)]).toEqual([true, false]);
    const object = apiError(404, 'No such object: acme/a');
    expect([isMissingBucket(object), isMissingObject(object)]).toEqual([false, true]);
    expect(isMissingObject(apiError(403, 'denied'))).toBe(false);
  });
});

describe('gcsFailure', () => {
  it('says what failed, with the HTTP status and Google\'s message', () => {
    const failure = gcsFailure('could not read a from gs://acme/stowage', downloadError(404, 'The specified bucket does not exist.'), ROOT);
    expect(failure).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: 'could not read a from gs://acme/stowage: HTTP 404: The specified bucket does not exist.' });
    expect(failure.hint).toBe('the bucket of gs://acme/stowage does not exist: create it (`gcloud storage buckets create gs://acme`), or fix `path`');
  });

  it('keeps a StowageError as it is', () => {
    const error = new StowageError('bad key', { code: 'USAGE' });
    expect(gcsFailure('x', error, ROOT)).toBe(error);
  });

  it.each([
    [new Error('Could not load the default credentials. Browse to …'), /^give the store credentials/],
    [apiError(403, 'denied'), /^check that the credentials may use gs:\/\/acme\/stowage/],
    [Object.assign(new Error('request failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), /^check `endpoint`/],
    [apiError(500, 'backend'), undefined],
  ])('hints %#', (error, hint) => {
    const given = gcsFailureHint(error, ROOT);
    if (hint) expect(given).toMatch(hint);
    else expect(given).toBeUndefined();
  });
});
