import { isSecretSchema } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { apiUrlOf, GithubCodeRepositoryConfigSchema } from './config.js';

const parse = (input: Record<string, unknown>) => GithubCodeRepositoryConfigSchema.safeParse(input);

describe('GitHub code repository config', () => {
  it('fills the defaults: github.com, api.github.com, GITHUB_TOKEN', () => {
    const config = GithubCodeRepositoryConfigSchema.parse({ owner: 'acme', repository: 'demo' });
    expect(config).toEqual({ owner: 'acme', repository: 'demo', host: 'github.com', token_env: 'GITHUB_TOKEN' });
    expect(apiUrlOf(config)).toBe('https://api.github.com');
  });

  it('derives a GitHub Enterprise Server API from the host, and takes an explicit api_url without its trailing slash', () => {
    expect(apiUrlOf(GithubCodeRepositoryConfigSchema.parse({ owner: 'a', repository: 'b', host: 'GitHub.Acme.com' }))).toBe('https://github.acme.com/api/v3');
    expect(apiUrlOf(GithubCodeRepositoryConfigSchema.parse({ owner: 'a', repository: 'b', api_url: 'http://127.0.0.1:9/x/' }))).toBe('http://127.0.0.1:9/x');
  });

  it('derives api.<subdomain>.ghe.com for GitHub Enterprise Cloud with data residency', () => {
    expect(apiUrlOf(GithubCodeRepositoryConfigSchema.parse({ owner: 'a', repository: 'b', host: 'octocorp.ghe.com' }))).toBe('https://api.octocorp.ghe.com');
    expect(apiUrlOf(GithubCodeRepositoryConfigSchema.parse({ owner: 'a', repository: 'b', host: 'git.octocorp.ghe.com.example' }))).toBe('https://git.octocorp.ghe.com.example/api/v3');
  });

  it.each([
    ['an unknown key', { owner: 'a', repository: 'b', repo: 'b' }, [], 'Unrecognized key: "repo"'],
    ['a repository with .git', { owner: 'a', repository: 'b.git' }, ['repository'], 'without `.git`'],
    ['owner/repository in owner', { owner: 'a/b', repository: 'b' }, ['owner'], 'user or organisation'],
    ['a host with a scheme', { owner: 'a', repository: 'b', host: 'https://github.com' }, ['host'], 'without scheme'],
    ['an api_url that is not http(s)', { owner: 'a', repository: 'b', api_url: 'ftp://x' }, ['api_url'], 'http(s) URL'],
    ['an empty token', { owner: 'a', repository: 'b', token: '' }, ['token'], ''],
    ['a token_env that is not a variable name', { owner: 'a', repository: 'b', token_env: 'MY-TOKEN' }, ['token_env'], 'variable name'],
  ])('rejects %s with its key path', (_name, input, path, message) => {
    const issue = parse(input).error?.issues[0];
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toContain(message);
  });

  it('marks token as a secret and describes every key', () => {
    expect(isSecretSchema(GithubCodeRepositoryConfigSchema.shape.token)).toBe(true);
    for (const [key, schema] of Object.entries(GithubCodeRepositoryConfigSchema.shape)) expect(schema.description, key).toBeTruthy();
  });
});

describe('credentials in the API URL', () => {
  it('are refused: the URL is recorded in launch specs', () => {
    const parsed = GithubCodeRepositoryConfigSchema.safeParse({ owner: 'a', repository: 'b', api_url: 'https://x:ghp_secret@github.acme.com/api/v3' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('put credentials in `token`');
  });
});
