import { StowageError } from '@stowage/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabRepository, startGitlabForge, type GitlabForgeScene } from './__fixtures__/gitlabForge.js';

// isPushed with the real gitbeaker against the forge emulator (real git repositories behind it).
let scene: GitlabForgeScene;
beforeAll(async () => {
  scene = await startGitlabForge();
});
afterAll(() => scene?.stop());

const demo = (extra: Record<string, unknown> = {}) => gitlabRepository({ project: 'group/sub/demo', url: scene.forge.gitlabUrl(), ...extra });
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as StowageError);

describe('isPushed (public project)', () => {
  it.each([
    ['the head of the default branch', 'c2', true],
    ['an ancestor on the default branch', 'c1', true],
    ['a commit on another branch only', 'f1', true],
    ['a commit GitLab knows but no branch contains', 'o1', false],
    ['a commit that was never pushed', 'l1', false],
  ] as const)('%s (%s) → %s', async (_name, commit, pushed) => {
    await expect((await demo()).isPushed(scene.shas[commit])).resolves.toBe(pushed);
  });

  it('one request for a pushed commit; an unknown one also asks for the project', async () => {
    const repo = await demo();
    const pathsOf = async (sha: string) => {
      const before = scene.forge.requests.length;
      await repo.isPushed(sha);
      return scene.forge.requests.slice(before).map((r) => r.url.split('?')[0]);
    };
    const project = '/gitlab.com/api/v4/projects/group%2Fsub%2Fdemo';
    expect(await pathsOf(scene.shas.c2)).toEqual([`${project}/repository/commits/${scene.shas.c2}/refs`]);
    expect(await pathsOf('0'.repeat(40))).toEqual([`${project}/repository/commits/${'0'.repeat(40)}/refs`, project]);
  });

  it('a token nobody has fails with CODE_UNAVAILABLE naming `token`', async () => {
    const failure = await failureOf((await demo({ token: 'not-a-token' })).isPushed(scene.shas.c2));
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('GitLab rejected the token (401 Unauthorized)') });
    expect(failure?.hint).toContain('`token`');
  });

  it('stays a cancellation when the signal is aborted', async () => {
    const failure = await failureOf((await demo()).isPushed(scene.shas.c2, AbortSignal.abort()));
    expect(StowageError.isInstance(failure)).toBe(false);
    expect(failure?.name).toBe('AbortError');
  });
});

describe('isPushed (private project, self-hosted, unreachable)', () => {
  const vault = (extra: Record<string, unknown>) => gitlabRepository({ project: 'group/vault', url: scene.forge.gitlabUrl(), ...extra });

  it('answers with the project’s token', async () => {
    await expect((await vault({ token: 'glpat-vault' })).isPushed(scene.shas.v1)).resolves.toBe(true);
  });

  it('without a token: CODE_UNAVAILABLE whose hint says to set `token`', async () => {
    const failure = await failureOf((await vault({})).isPushed(scene.shas.v1));
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('project group/vault not found') });
    expect(failure?.hint).toMatch(/if it is private, set `token: \$\{GITLAB_TOKEN\}`/);
  });

  it('with a token that cannot see it: CODE_UNAVAILABLE saying so', async () => {
    await scene.forge.createRepository({ kind: 'gitlab', path: 'other/place', private: true, token: 'glpat-other' });
    await expect((await vault({ token: 'glpat-other' })).isPushed(scene.shas.v1)).rejects.toMatchObject({
      code: 'CODE_UNAVAILABLE',
      message: expect.stringContaining('or the token cannot see it'),
    });
  });

  it('a self-hosted instance under a relative URL root: its API, and its http remotes', async () => {
    const tools = await gitlabRepository({ project: 'ops/tools', url: scene.forge.gitlabUrl('gitlab.example.com') });
    await expect(tools.isPushed(scene.shas.t1)).resolves.toBe(true);
    await expect(tools.isPushed(scene.shas.c1)).resolves.toBe(false);
    expect(tools.matchesRemote(scene.forge.gitUrl(scene.forge.repository('gitlab.example.com', 'ops/tools')!))).toBe(true);
  });

  it('an API that cannot be reached: CODE_UNAVAILABLE naming `url`', async () => {
    const failure = await failureOf((await demo({ url: 'http://127.0.0.1:9' })).isPushed(scene.shas.c2));
    expect(failure).toMatchObject({ code: 'CODE_UNAVAILABLE', message: expect.stringContaining('could not reach the GitLab API at http://127.0.0.1:9/api/v4') });
    expect(failure?.hint).toContain('`url`');
  });
});
