import type { StowageError } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { GithubCodeRepositoryConfigSchema } from './config.js';
import type { GithubApi } from './GithubApi.js';
import { GithubCodeRepository } from './GithubCodeRepository.js';

const SHA = 'a'.repeat(40);
const unusedApi = {} as GithubApi;
const repository = (config: Record<string, unknown> = {}) =>
  new GithubCodeRepository(GithubCodeRepositoryConfigSchema.parse({ owner: 'acme', repository: 'demo', ...config }), unusedApi);

describe('matchesRemote', () => {
  it.each([
    ['https://github.com/acme/demo.git', true],
    ['https://github.com/acme/demo', true],
    ['https://GITHUB.COM/Acme/Demo.git', true],
    ['git@github.com:acme/demo.git', true],
    ['git@github.com:acme/demo', true],
    ['ssh://git@github.com/acme/demo.git', true],
    ['ssh://git@github.com:22/acme/demo', true],
    ['https://github.com/acme/demo-fork.git', false],
    ['https://github.com/other/demo.git', false],
    ['https://gitlab.com/acme/demo.git', false],
    ['https://github.com/acme/demo/extra.git', false],
    ['/srv/git/acme/demo.git', false],
  ])('%s → %s', (url, matches) => {
    expect(repository().matchesRemote(url)).toBe(matches);
  });

  it('recognises a GitHub Enterprise host, with its web port for https', () => {
    const ghe = repository({ host: 'github.acme.com:8443' });
    expect(ghe.matchesRemote('https://github.acme.com:8443/acme/demo.git')).toBe(true);
    expect(ghe.matchesRemote('git@github.acme.com:acme/demo.git')).toBe(true);
    expect(ghe.matchesRemote('https://github.com/acme/demo.git')).toBe(false);
  });
});

describe('downloadSpec', () => {
  it('is the REST tarball at the commit, stripped of its top folder, without auth when there is no token', () => {
    expect(repository().downloadSpec(SHA)).toEqual({
      kind: 'github',
      url: `https://api.github.com/repos/acme/demo/tarball/${SHA}`,
      format: 'tar.gz',
      commit: SHA,
      stripComponents: 1,
    });
  });

  it('names the token variable (never the token) when a token is configured', () => {
    const spec = repository({ token: 'ghp_secret', token_env: 'CI_GITHUB_TOKEN' }).downloadSpec(SHA, 'pipelines/train');
    expect(spec).toMatchObject({ subdirectory: 'pipelines/train', auth: { header: 'Authorization', prefix: 'Bearer ', tokenEnv: 'CI_GITHUB_TOKEN' } });
    expect(JSON.stringify(spec)).not.toContain('ghp_secret');
  });

  it('uses the GitHub Enterprise API of the host', () => {
    expect(repository({ host: 'github.acme.com' }).downloadSpec(SHA).url).toBe(`https://github.acme.com/api/v3/repos/acme/demo/tarball/${SHA}`);
  });

  it.each([
    ['./src/', 'src'],
    ['.', undefined],
    ['', undefined],
  ])('normalises the subdirectory %j', (given, expected) => {
    expect(repository().downloadSpec(SHA, given).subdirectory).toBe(expected);
  });

  it.each([
    ['a branch', 'main', undefined],
    ['an abbreviated sha', SHA.slice(0, 12), undefined],
    ['a subdirectory outside', SHA, '../x'],
    ['an absolute subdirectory', SHA, '/etc'],
  ])('refuses %s', (_name, commit, subdirectory) => {
    expect(() => repository().downloadSpec(commit, subdirectory)).toThrow(expect.objectContaining({ code: 'CODE_UNAVAILABLE' }) as StowageError);
  });
});
