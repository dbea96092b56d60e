import { StowageError } from '@stowage/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubRepository, startGithubForge, type GithubForgeScene } from './__fixtures__/githubForge.js';

// isPushed with the real Octokit against the forge emulator (real git repositories behind it).
let scene: GithubForgeScene;
beforeAll(async () => {
  scene = await startGithubForge();
});
afterAll(() => scene?.stop());

const demo = (extra: Record<string, unknown> = {}) => githubRepository({ owner: 'acme', repository: 'demo', api_url: scene.forge.githubApiUrl(), ...extra });

describe('isPushed (public repository)', () => {
  it.each([
    ['the head of the default branch', 'c2', true],
    ['an ancestor on the default branch', 'c1', true],
    ['a commit on another branch only', 'f1', true],
    ['a commit on a branch past the first page of branches', 'z1', true],
    ['a commit on a branch whose name has a slash', 'r1', true],
    ['a commit GitHub knows but no branch contains', 'o1', false],
    ['a commit that was never pushed', 'l1', false],
  ] as const)('%s (%s) → %s', async (_name, commit, pushed) => {
    await expect((await demo()).isPushed(scene.shas[commit])).resolves.toBe(pushed);
  });

  it('false for a sha GitHub has never seen (422)', async () => {
    await expect((await demo()).isPushed('0'.repeat(40))).resolves.toBe(false);
  });

  it('false for any commit of an empty repository (409)', async () => {
    await scene.forge.createRepository({ kind: 'github', path: 'acme/empty' });
    await expect((await githubRepository({ owner: 'acme', repository: 'empty', api_url: scene.forge.githubApiUrl() })).isPushed(scene.shas.c1)).resolves.toBe(false);
  });

  it('asks the default branch first: a commit on it needs no branch listing', async () => {
    const before = scene.forge.requests.length;
    await (await demo()).isPushed(scene.shas.c2);
    const paths = scene.forge.requests.slice(before).map((r) => r.url.split('?')[0]);
    expect(paths).toEqual([`/repos/acme/demo/commits/${scene.shas.c2}`, '/repos/acme/demo', `/repos/acme/demo/compare/main...${scene.shas.c2}`]);
  });

  it('a token nobody has fails with CODE_UNAVAILABLE naming `token`', async () => {
    const failure = await (await demo({ token: 'not-a-token' })).isPushed(scene.shas.c2).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('401 Bad credentials') });
    expect((failure as StowageError).hint).toContain('`token`');
  });

  it('stays a cancellation when the signal is aborted', async () => {
    const failure = await (await demo()).isPushed(scene.shas.c2, AbortSignal.abort()).catch((e: unknown) => e);
    expect(StowageError.isInstance(failure)).toBe(false);
    expect((failure as Error).name).toBe('AbortError');
  });
});

describe('isPushed (private repository, GitHub Enterprise, unreachable API)', () => {
  const vault = (extra: Record<string, unknown>) => githubRepository({ owner: 'acme', repository: 'vault', api_url: scene.forge.githubApiUrl(), ...extra });

  it('answers with the repository’s token', async () => {
    await expect((await vault({ token: 'vault-token' })).isPushed(scene.shas.v1)).resolves.toBe(true);
  });

  it('without a token: CODE_UNAVAILABLE whose hint says to set `token`', async () => {
    const failure = await (await vault({})).isPushed(scene.shas.v1).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('repository acme/vault not found') });
    expect((failure as StowageError).hint).toMatch(/if it is private, set `token: \$\{GITHUB_TOKEN\}`/);
  });

  it('with a token that cannot see it: CODE_UNAVAILABLE saying so', async () => {
    await scene.forge.createRepository({ kind: 'github', path: 'acme/elsewhere', private: true, token: 'elsewhere-token' });
    await expect((await vault({ token: 'elsewhere-token' })).isPushed(scene.shas.v1)).rejects.toMatchObject({
      code: 'CODE_UNAVAILABLE',
      message: expect.stringContaining('or the token cannot see it'),
    });
  });

  it('GitHub Enterprise: host plus a GHE-style api_url', async () => {
    const ghe = await githubRepository({ owner: 'corp', repository: 'app', host: 'ghe.example.com', api_url: scene.forge.githubApiUrl('ghe.example.com') });
    expect(scene.forge.githubApiUrl('ghe.example.com')).toMatch(/\/ghe\.example\.com\/api\/v3$/);
    expect(ghe.matchesRemote('git@ghe.example.com:corp/app.git')).toBe(true);
    await expect(ghe.isPushed(scene.shas.g1)).resolves.toBe(true);
    await expect(ghe.isPushed(scene.shas.c1)).resolves.toBe(false);
  });

  it('an API that cannot be reached: CODE_UNAVAILABLE naming `api_url`', async () => {
    const failure = await (await demo({ api_url: 'http://127.0.0.1:9' })).isPushed(scene.shas.c2).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('could not reach the GitHub API at http://127.0.0.1:9') });
    expect((failure as StowageError).hint).toContain('`api_url`');
  });
});
