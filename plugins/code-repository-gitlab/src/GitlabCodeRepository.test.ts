import type { StowageError } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { GitlabCodeRepositoryConfigSchema } from './config.js';
import type { GitlabApi } from './GitlabApi.js';
import { GitlabCodeRepository } from './GitlabCodeRepository.js';

const SHA = 'b'.repeat(40);
const repository = (config: Record<string, unknown> = {}) =>
  new GitlabCodeRepository(GitlabCodeRepositoryConfigSchema.parse({ project: 'group/sub/demo', ...config }), {} as GitlabApi);

describe('matchesRemote', () => {
  it.each([
    ['https://gitlab.com/group/sub/demo.git', true],
    ['https://gitlab.com/Group/Sub/Demo', true],
    ['https://oauth2:tok@GitLab.com/group/sub/demo.git', true],
    ['git@gitlab.com:group/sub/demo.git', true],
    ['ssh://git@gitlab.com/group/sub/demo', true],
    ['https://gitlab.com/group/demo.git', false],
    ['https://gitlab.com/group/sub/demo/wiki.git', false],
    ['https://github.com/group/sub/demo.git', false],
  ])('%s → %s', (url, matches) => {
    expect(repository().matchesRemote(url)).toBe(matches);
  });

  it('a self-hosted instance under a relative URL root and on its own port', () => {
    const hosted = repository({ url: 'https://git.example.com:8443/gitlab' });
    expect(hosted.matchesRemote('https://git.example.com:8443/gitlab/group/sub/demo.git')).toBe(true);
    expect(hosted.matchesRemote('https://git.example.com:8443/group/sub/demo.git')).toBe(false);
    expect(hosted.matchesRemote('https://git.example.com/gitlab/group/sub/demo.git')).toBe(false);
    expect(hosted.matchesRemote('ssh://git@git.example.com:2222/group/sub/demo.git')).toBe(true);
    expect(hosted.matchesRemote('git@git.example.com:group/sub/demo.git')).toBe(true);
  });
});

describe('downloadSpec', () => {
  it('is the v4 archive of the URL-encoded project at the commit, stripped of its top folder', () => {
    expect(repository().downloadSpec(SHA)).toEqual({
      kind: 'gitlab',
      url: `https://gitlab.com/api/v4/projects/group%2Fsub%2Fdemo/repository/archive.tar.gz?sha=${SHA}`,
      format: 'tar.gz',
      commit: SHA,
      stripComponents: 1,
    });
  });

  it('with a token: PRIVATE-TOKEN from the named variable, no prefix, never the token itself', () => {
    const spec = repository({ url: 'https://example.com/gitlab', token: 'glpat-secret' }).downloadSpec(SHA, 'ml/');
    expect(spec).toMatchObject({ url: expect.stringMatching(/^https:\/\/example\.com\/gitlab\/api\/v4\/projects\//), subdirectory: 'ml', auth: { header: 'PRIVATE-TOKEN', prefix: '', tokenEnv: 'GITLAB_TOKEN' } });
    expect(JSON.stringify(spec)).not.toContain('glpat-secret');
  });

  it.each([
    ['a branch', 'main', undefined],
    ['a subdirectory outside', SHA, 'a/../../b'],
  ])('refuses %s', (_name, commit, subdirectory) => {
    expect(() => repository().downloadSpec(commit, subdirectory)).toThrow(expect.objectContaining({ code: 'CODE_UNAVAILABLE' }) as StowageError);
  });
});
