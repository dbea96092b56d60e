import { describe, expect, it } from 'vitest';
import { repositoryInRegistry, repositorySpellings, splitImageReference } from './imageReference.js';

describe('splitImageReference', () => {
  it.each([
    ['127.0.0.1:5000/team/app:build-1', { repository: '127.0.0.1:5000/team/app', tag: 'build-1' }],
    ['127.0.0.1:5000/team/app', { repository: '127.0.0.1:5000/team/app', tag: 'latest' }],
    ['app:1', { repository: 'app', tag: '1' }],
    ['ghcr.io/acme/app', { repository: 'ghcr.io/acme/app', tag: 'latest' }],
  ])('%s', (name, expected) => {
    expect(splitImageReference(name)).toEqual(expected);
  });
});

describe('repositoryInRegistry', () => {
  it.each([
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000', 'team/app'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/', 'team/app'],
    ['ghcr.io/acme/team/app', 'ghcr.io/acme', 'team/app'],
    ['docker.io/acme/app', 'index.docker.io/acme', 'app'],
    // A longer port is another registry (ZenML's plain startswith would accept it).
    ['127.0.0.1:50001/app', '127.0.0.1:5000', undefined],
    ['other.io/app', 'ghcr.io/acme', undefined],
  ])('%s in %s → %s', (repository, uri, expected) => {
    expect(repositoryInRegistry(repository, uri)).toBe(expected);
  });
});

describe('repositorySpellings', () => {
  it('lists the ways RepoDigests may spell a Docker Hub repository', () => {
    expect(repositorySpellings('docker.io/library/python')).toEqual(['docker.io/library/python', 'library/python', 'python']);
    expect(repositorySpellings('127.0.0.1:5000/app')).toEqual(['127.0.0.1:5000/app']);
  });
});
