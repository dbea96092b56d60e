import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate, pickChallenge } from './AuthChallenge.js';

describe('parseWwwAuthenticate', () => {
  it.each([
    ['Basic realm="stowage-e2e"', [{ scheme: 'basic', params: { realm: 'stowage-e2e' } }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' } }],
    ],
    // ghcr / GitLab style: spaces after commas, unquoted values, mixed-case names.
    [
      'bearer Realm=https://ghcr.io/token, service="ghcr.io", scope="repository:acme/app:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/app:pull' } }],
    ],
    // Two scopes in one quoted value, and an escaped quote.
    [
      'Bearer realm="r",scope="repository:a:pull repository:b:pull",error="say \\"hi\\""',
      [{ scheme: 'bearer', params: { realm: 'r', scope: 'repository:a:pull repository:b:pull', error: 'say "hi"' } }],
    ],
    // fetch joins repeated headers with ", ".
    [
      'Basic realm="a", Bearer realm="https://t/token",service="s"',
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
      ],
    ],
    ['', []],
    ['realm="orphan"', []],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('pickChallenge', () => {
  it('prefers Bearer, then Basic, and ignores schemes it cannot answer', () => {
    expect(pickChallenge(parseWwwAuthenticate('Basic realm="a", Bearer realm="b"'))?.scheme).toBe('bearer');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate, Basic realm="a"'))?.scheme).toBe('basic');
    expect(pickChallenge(parseWwwAuthenticate('Negotiate'))).toBeUndefined();
  });
});
