import { GitbeakerRequestError, GitbeakerTimeoutError } from '@gitbeaker/rest';
import { describe, expect, it } from 'vitest';
import { gitlabFailure } from './gitlabFailure.js';

const context = { url: 'https://gitlab.example.com', project: 'group/demo', hasToken: true };
const answered = (status: number, description: string) =>
  new GitbeakerRequestError(description, { cause: { description, request: new Request('https://gitlab.example.com/api/v4'), response: new Response(null, { status }) } });

describe('gitlabFailure', () => {
  it.each([
    ['403 with a token: the scope', answered(403, '403 Forbidden'), /GitLab refused to answer about group\/demo \(403 Forbidden\)/, /`read_api`/],
    ['another status, its text without the status', answered(500, 'Internal Server Error'), /GitLab answered 500 Internal Server Error about group\/demo/, /try again later/],
    ['a timeout', new GitbeakerTimeoutError('Query timeout was reached'), /could not reach the GitLab API at https:\/\/gitlab\.example\.com\/api\/v4: Query timeout was reached/, /`url`/],
    ['no answer', new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }), /fetch failed: connect ECONNREFUSED/, /`url`/],
  ])('%s', (_name, error, message, hint) => {
    const failure = gitlabFailure(error, context);
    expect(failure.code).toBe('CODE_UNAVAILABLE');
    expect(failure.message).toMatch(message);
    expect(failure.hint).toMatch(hint);
  });
});
