import { describe, expect, it } from 'vitest';
import { githubFailure } from './githubFailure.js';

const context = { apiUrl: 'https://api.github.com', repository: 'acme/demo', hasToken: false };
// The shape of Octokit's RequestError: a status, and the response GitHub sent (none when it never answered).
const answered = (status: number, message: string) => Object.assign(new Error(message), { status, response: { data: { message } } });

describe('githubFailure', () => {
  it.each([
    ['403 without a token: the rate limit', answered(403, 'API rate limit exceeded'), false, /GitHub refused to answer about acme\/demo \(403 API rate limit exceeded\)/, /rate-limited: set `token/],
    ['403 with a token: permissions', answered(403, 'Resource not accessible'), true, /403 Resource not accessible/, /SSO/],
    ['another status', answered(502, 'Bad Gateway'), true, /GitHub answered 502 about acme\/demo/, /try again later/],
    ['no answer', Object.assign(new Error('connect ECONNREFUSED'), { status: 500 }), false, /could not reach the GitHub API at https:\/\/api\.github\.com: connect ECONNREFUSED/, /`api_url`/],
  ])('%s', (_name, error, hasToken, message, hint) => {
    const failure = githubFailure(error, { ...context, hasToken });
    expect(failure.code).toBe('CODE_UNAVAILABLE');
    expect(failure.message).toMatch(message);
    expect(failure.hint).toMatch(hint);
    expect(failure.cause).toBe(error);
  });
});
