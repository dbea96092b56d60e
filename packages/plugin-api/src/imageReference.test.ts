import { describe, expect, it } from 'vitest';
import { StowageError } from './errors.js';
import {
  formatImageReference,
  isLoopbackRegistry,
  manifestReferenceOf,
  parseImageReference,
  parseRegistryUri,
  repositoryOf,
  withDigest,
} from './imageReference.js';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('parseImageReference', () => {
  it.each([
    ['127.0.0.1:5000/stowage/pipeline:1.0.0', { registry: '127.0.0.1:5000', repository: 'stowage/pipeline', tag: '1.0.0' }],
    ['localhost:5000/a:latest', { registry: 'localhost:5000', repository: 'a', tag: 'latest' }],
    ['localhost/a', { registry: 'localhost', repository: 'a' }],
    ['[::1]:5000/a/b:t', { registry: '[::1]:5000', repository: 'a/b', tag: 't' }],
    ['ghcr.io/acme/team/deep/repo:train-0a1b2c3d4e5f', { registry: 'ghcr.io', repository: 'acme/team/deep/repo', tag: 'train-0a1b2c3d4e5f' }],
    ['registry.gitlab.com/group/project/stowage:v1', { registry: 'registry.gitlab.com', repository: 'group/project/stowage', tag: 'v1' }],
    ['Harbor.Example.com/library/app:1', { registry: 'harbor.example.com', repository: 'library/app', tag: '1' }],
    [`127.0.0.1:5000/a/b@${DIGEST}`, { registry: '127.0.0.1:5000', repository: 'a/b', digest: DIGEST }],
    [`127.0.0.1:5000/a/b:t@${DIGEST}`, { registry: '127.0.0.1:5000', repository: 'a/b', tag: 't', digest: DIGEST }],
    // Docker Hub: every spelling means docker.io, and official images live under library/.
    ['python:3.11-slim', { registry: 'docker.io', repository: 'library/python', tag: '3.11-slim' }],
    ['python', { registry: 'docker.io', repository: 'library/python' }],
    ['acme/app:1', { registry: 'docker.io', repository: 'acme/app', tag: '1' }],
    ['docker.io/python:3', { registry: 'docker.io', repository: 'library/python', tag: '3' }],
    ['docker.io/library/python:3', { registry: 'docker.io', repository: 'library/python', tag: '3' }],
    ['index.docker.io/acme/app:1', { registry: 'docker.io', repository: 'acme/app', tag: '1' }],
    ['registry-1.docker.io/acme/app:1', { registry: 'docker.io', repository: 'acme/app', tag: '1' }],
    ['my.registry/a__b/c-d.e_f:T_1.x-y', { registry: 'my.registry', repository: 'a__b/c-d.e_f', tag: 'T_1.x-y' }],
  ])('%s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['127.0.0.1:5000/Stowage/pipeline:1', 'capital in the repository'],
    ['127.0.0.1:5000/a:-bad', 'tag starting with -'],
    ['127.0.0.1:5000/a@sha256:xyz', 'short digest'],
    ['127.0.0.1:5000/a//b:1', 'empty path component'],
    ['http://127.0.0.1:5000/a:1', 'scheme'],
    ['127.0.0.1:5000/a:' + 't'.repeat(129), 'tag over 128 characters'],
    ['127.0.0.1:5000/' + 'a'.repeat(260), 'name over 255 characters'],
    ['a b:1', 'space'],
  ])('rejects %j (%s) with USAGE', (reference) => {
    let caught: unknown;
    try {
      parseImageReference(reference);
    } catch (error) {
      caught = error;
    }
    expect(StowageError.isInstance(caught) && caught.code).toBe('USAGE');
    expect((caught as Error).message).toContain('is not a valid image reference');
  });

  it('asks for the digest when a reference has both a tag and a digest, else the tag, else latest', () => {
    expect(manifestReferenceOf(parseImageReference(`h.io/a:t@${DIGEST}`))).toBe(DIGEST);
    expect(manifestReferenceOf(parseImageReference('h.io/a:t'))).toBe('t');
    expect(manifestReferenceOf(parseImageReference('h.io/a'))).toBe('latest');
  });
});

function usageError(run: () => unknown): StowageError {
  try {
    run();
  } catch (error) {
    if (StowageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a StowageError');
}

describe('formatImageReference', () => {
  it.each([
    [{ registry: '127.0.0.1:5000', repository: 'stowage/pipeline', tag: '1.0.0' }, '127.0.0.1:5000/stowage/pipeline:1.0.0'],
    [{ registry: 'docker.io', repository: 'library/python', tag: '3.11' }, 'docker.io/library/python:3.11'],
    [{ registry: 'index.docker.io', repository: 'acme/app' }, 'docker.io/acme/app'],
    [{ registry: '[::1]:5000', repository: 'a', tag: 't', digest: DIGEST }, `[::1]:5000/a:t@${DIGEST}`],
    [{ registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST }, `ghcr.io/acme/app@${DIGEST}`],
  ])('%j → %s, which parses back to the same reference', (ref, expected) => {
    expect(formatImageReference(ref)).toBe(expected);
    expect(parseImageReference(expected)).toEqual({ ...ref, registry: ref.registry === 'index.docker.io' ? 'docker.io' : ref.registry });
  });

  it.each([
    [{ registry: 'ghcr.io', repository: 'Acme/app' }, 'is not a repository path'],
    [{ registry: 'ghcr io', repository: 'a' }, 'is not a registry host'],
    [{ registry: 'ghcr.io', repository: 'a', tag: '-x' }, 'is not a tag'],
    [{ registry: 'ghcr.io', repository: 'a', digest: 'sha256:xyz' }, 'is not a digest'],
  ])('refuses %j with USAGE (%s)', (ref, why) => {
    const error = usageError(() => formatImageReference(ref));
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain(why);
  });
});

describe('repositoryOf / withDigest', () => {
  it.each([
    ['host:5000/repo/name:tag', 'host:5000/repo/name'],
    ['host:5000/repo/name', 'host:5000/repo/name'],
    ['localhost:5000/a', 'localhost:5000/a'],
    [`host:5000/repo/name:tag@${DIGEST}`, 'host:5000/repo/name'],
    [`host:5000/repo/name@${DIGEST}`, 'host:5000/repo/name'],
    ['python:3.11-slim', 'python'],
    ['[::1]:5000/a/b:t', '[::1]:5000/a/b'],
  ])('repositoryOf(%s) = %s (a port is not a tag; the name is kept as written)', (name, repository) => {
    expect(repositoryOf(name)).toBe(repository);
  });

  it('pins an image name to a digest, dropping its tag and any older digest', () => {
    expect(withDigest('127.0.0.1:5000/stowage/app:train-1', DIGEST)).toBe(`127.0.0.1:5000/stowage/app@${DIGEST}`);
    expect(withDigest(`127.0.0.1:5000/stowage/app@sha256:${'0'.repeat(64)}`, DIGEST)).toBe(`127.0.0.1:5000/stowage/app@${DIGEST}`);
    expect(withDigest('127.0.0.1:5000/app', DIGEST)).toBe(`127.0.0.1:5000/app@${DIGEST}`);
  });

  it('refuses malformed names and digests with USAGE', () => {
    expect(usageError(() => repositoryOf('127.0.0.1:5000/App:1')).code).toBe('USAGE');
    expect(usageError(() => withDigest('127.0.0.1:5000/app:1', 'sha256:short')).message).toContain('is not a digest');
  });
});

describe('parseRegistryUri', () => {
  it.each([
    ['127.0.0.1:5000', { registry: '127.0.0.1:5000', path: undefined }],
    ['ghcr.io/acme', { registry: 'ghcr.io', path: 'acme' }],
    ['registry.gitlab.com/group/project', { registry: 'registry.gitlab.com', path: 'group/project' }],
    ['index.docker.io/acme', { registry: 'docker.io', path: 'acme' }],
    ['localhost:5000', { registry: 'localhost:5000', path: undefined }],
  ])('%s', (uri, expected) => {
    expect(parseRegistryUri(uri)).toEqual(expected);
  });

  it.each(['', 'acme', 'https://ghcr.io/acme', 'ghcr.io/Acme', 'ghcr.io/acme/', 'ghcr.io:port', 'ghcr io'])('rejects %j', (uri) => {
    expect(parseRegistryUri(uri)).toBeUndefined();
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['[::1]:5000', true],
    ['ghcr.io', false],
    ['127.0.0.1.nip.io:5000', false],
    ['localhost.example.com', false],
  ])('%s → %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});
