import { describe, expect, it } from 'vitest';
import { accessOf } from './access.js';
import type { ForgeRepository } from './ForgeRepository.js';

const repo = (o: { private: boolean; token?: string }) => ({ ...o }) as ForgeRepository;
const known = (t: string) => ['mine', 'theirs'].includes(t);

describe('accessOf', () => {
  it.each([
    ['public, no token, read', repo({ private: false }), undefined, 'read', 'ok'],
    ['public without a token, anonymous push', repo({ private: false }), undefined, 'write', 'ok'],
    ['public with a token, anonymous push', repo({ private: false, token: 'mine' }), undefined, 'write', 'unauthenticated'],
    ['public with a token, push with another token', repo({ private: false, token: 'mine' }), 'theirs', 'write', 'forbidden'],
    ['public, push with its token', repo({ private: false, token: 'mine' }), 'mine', 'write', 'ok'],
    ['public, read with an unknown token', repo({ private: false }), 'junk', 'read', 'bad-credentials'],
    ['private, no token', repo({ private: true, token: 'mine' }), undefined, 'read', 'unauthenticated'],
    ['private, another repository’s token', repo({ private: true, token: 'mine' }), 'theirs', 'read', 'hidden'],
    ['private, its token', repo({ private: true, token: 'mine' }), 'mine', 'read', 'ok'],
  ] as const)('%s → %s', (_name, r, token, mode, access) => {
    expect(accessOf(r, token, mode, known)).toBe(access);
  });
});
