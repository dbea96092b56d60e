import { isSecretSchema } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { GitlabCodeRepositoryConfigSchema } from './config.js';

describe('GitLab code repository config', () => {
  it('fills the defaults: gitlab.com and GITLAB_TOKEN', () => {
    expect(GitlabCodeRepositoryConfigSchema.parse({ project: 'group/sub/demo' })).toEqual({ project: 'group/sub/demo', url: 'https://gitlab.com', token_env: 'GITLAB_TOKEN' });
  });

  it('drops a trailing slash from url, keeping a relative URL root', () => {
    expect(GitlabCodeRepositoryConfigSchema.parse({ project: 'a/b', url: 'https://example.com/gitlab/' }).url).toBe('https://example.com/gitlab');
  });

  it.each([
    ['an unknown key', { project: 'a/b', host: 'x' }, [], 'Unrecognized key: "host"'],
    ['a project without a namespace', { project: 'demo' }, ['project'], 'full project path'],
    ['a project with .git', { project: 'a/b.git' }, ['project'], 'without `.git`'],
    ['a url without scheme', { project: 'a/b', url: 'gitlab.example.com' }, ['url'], 'http(s) URL'],
    ['a token_env that is not a variable name', { project: 'a/b', token_env: '$GITLAB_TOKEN' }, ['token_env'], 'variable name'],
  ])('rejects %s with its key path', (_name, input, path, message) => {
    const issue = GitlabCodeRepositoryConfigSchema.safeParse(input).error?.issues[0];
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toContain(message);
  });

  it('marks token as a secret and describes every key', () => {
    expect(isSecretSchema(GitlabCodeRepositoryConfigSchema.shape.token)).toBe(true);
    for (const [key, schema] of Object.entries(GitlabCodeRepositoryConfigSchema.shape)) expect(schema.description, key).toBeTruthy();
  });
});

describe('credentials in the URL', () => {
  it('are refused: the URL is recorded in launch specs', () => {
    const parsed = GitlabCodeRepositoryConfigSchema.safeParse({ project: 'g/p', url: 'https://user:glpat-secret@gitlab.example.com' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('put credentials in `token`');
  });
});
