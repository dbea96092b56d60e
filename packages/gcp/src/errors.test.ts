import { describe, expect, it } from 'vitest';
import { gcpErrorReason } from './index.js';

/** Errors shaped as the Google clients throw them (gaxios's GaxiosError, google-gax's GoogleError). */
function gaxiosError(status: number, data: unknown, message = `Request failed with status code ${status}`): Error {
  return Object.assign(new Error(message), { name: 'GaxiosError', status, response: { status, data } });
}
function gaxError(code: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'Error', code });
}

describe('gcpErrorReason', () => {
  it("reads Google's JSON error body of a gaxios error", () => {
    expect(gcpErrorReason(gaxiosError(404, { error: { code: 404, message: 'No such object: b/k', status: 'NOT_FOUND' } }))).toBe('HTTP 404: No such object: b/k');
  });

  it('adds what to check for 401 and 403', () => {
    const reason = gcpErrorReason(gaxiosError(401, { error: { code: 401, message: 'Invalid Credentials' } }));
    expect(reason).toMatch(/^HTTP 401: Invalid Credentials — check the credentials: `access_token`/);
    expect(gcpErrorReason(gaxiosError(403, { error: 'access_denied', error_description: 'caller lacks storage.objects.get' }))).toMatch(
      /^HTTP 403: caller lacks storage.objects.get — check the credentials/,
    );
  });

  it("names google-gax's numeric codes and drops the code prefix of its messages", () => {
    expect(gcpErrorReason(gaxError(5, '5 NOT_FOUND: build 42 not found'))).toBe('NOT_FOUND: build 42 not found');
    expect(gcpErrorReason(gaxError(16, '16 UNAUTHENTICATED: Request had invalid authentication credentials.'))).toMatch(
      /^UNAUTHENTICATED: Request had invalid authentication credentials\. — check the credentials/,
    );
  });

  it("reads the JSON error body google-gax's REST transport puts in the message", () => {
    const body = JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
    expect(gcpErrorReason(gaxError(16, body))).toBe('UNAUTHENTICATED: Request had invalid authentication credentials. — check the credentials: `access_token` (tokens expire after about an hour), `service_account_key`, or Application Default Credentials (`gcloud auth application-default login`), and that they may use this project');
    expect(gcpErrorReason(gaxError(3, '{not json'))).toBe('INVALID_ARGUMENT: {not json');
  });

  it('keeps network errors readable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(gcpErrorReason(error)).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
    expect(gcpErrorReason('plain text')).toBe('plain text');
  });
});
