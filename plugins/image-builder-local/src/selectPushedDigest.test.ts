import { describe, expect, it } from 'vitest';
import { selectPushedDigest } from './selectPushedDigest.js';

const A = 'sha256:aaaa';
const B = 'sha256:bbbb';
const repo = '127.0.0.1:5000/team/app';

describe('selectPushedDigest', () => {
  it('returns the pushed digest when the image records it for that repository', () => {
    expect(selectPushedDigest(repo, [A], [`127.0.0.1:5001/team/app@${B}`, `${repo}@${A}`])).toBe(A);
  });

  it('uses the last aux digest of the stream', () => {
    expect(selectPushedDigest(repo, [B, A], [`${repo}@${A}`])).toBe(A);
  });

  it('trusts the aux digest when the engine recorded none for the repository', () => {
    expect(selectPushedDigest(repo, [A], [`127.0.0.1:5001/team/app@${B}`])).toBe(A);
  });

  it('falls back to RepoDigests without an aux digest (ZenML order)', () => {
    expect(selectPushedDigest(repo, [], [`${repo}@${B}`])).toBe(B);
  });

  it('matches Docker Hub repositories however the engine spells them', () => {
    expect(selectPushedDigest('docker.io/acme/app', [], [`acme/app@${A}`])).toBe(A);
    expect(selectPushedDigest('index.docker.io/library/python', [], [`python@${B}`])).toBe(B);
  });

  it('does not take a longer port for the same registry', () => {
    expect(() => selectPushedDigest('127.0.0.1:5000/app', [], [`127.0.0.1:50001/app@${A}`])).toThrowError(/unable to find the repository digest/);
  });

  it('fails when the push stream and the image disagree', () => {
    expect(() => selectPushedDigest(repo, [A], [`${repo}@${B}`])).toThrowError(expect.objectContaining({ code: 'REGISTRY_FAILED' }));
  });

  it('fails when there is no digest at all', () => {
    expect(() => selectPushedDigest(repo, [], [`127.0.0.1:5001/team/app@${B}`])).toThrowError(
      expect.objectContaining({ code: 'REGISTRY_FAILED', message: `unable to find the repository digest after pushing ${repo}` }),
    );
  });
});
