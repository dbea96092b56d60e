import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgeScene, type ForgeScene } from './__fixtures__/forgeScene.js';
import { runGit } from './runGit.js';
import { WorkTree } from './WorkTree.js';

let scene: ForgeScene;
beforeAll(async () => {
  scene = await startForgeScene();
});
afterAll(() => scene.stop());

describe('git over smart HTTP (git-http-backend)', () => {
  it('takes a real push and serves a real clone, the remote keeping its realistic URL', async () => {
    const { tree, git } = await scene.repoWithTree({ kind: 'github', path: 'acme/demo' });
    const sha = await tree.commit('first', { 'README.md': '# demo\n', 'src/app.py': 'print(1)\n' });
    await tree.push();
    const clone = join(scene.scratch, 'clone-demo');
    await runGit(['clone', '--quiet', 'https://github.com/acme/demo.git', clone], { env: git.env });
    expect(await readFile(join(clone, 'src/app.py'), 'utf8')).toBe('print(1)\n');
    expect((await runGit(['rev-parse', 'HEAD'], { cwd: clone })).trim()).toBe(sha);
    expect((await runGit(['config', '--get', 'remote.origin.url'], { cwd: clone, env: git.env })).trim()).toBe('https://github.com/acme/demo.git');
    const viaSsh = await runGit(['ls-remote', 'ssh://git@github.com/acme/demo.git', 'refs/heads/main'], { env: git.env });
    expect(viaSsh.split('\t')[0]).toBe(sha);
  });

  it('routes ssh-style remotes and paths without .git, on GitLab subgroups', async () => {
    const { repo, tree, git } = await scene.repoWithTree({ kind: 'gitlab', path: 'group/sub/tool' });
    await tree.git('remote', 'set-url', 'origin', 'git@gitlab.com:group/sub/tool.git');
    const sha = await tree.commit('one', { 'a.txt': 'a' });
    await tree.push();
    expect(await repo.bare.resolveCommit('main')).toBe(sha);
    const out = await runGit(['ls-remote', 'https://gitlab.com/group/sub/tool', 'refs/heads/main'], { env: git.env });
    expect(out.split('\t')[0]).toBe(sha);
  });

  it('streams a large push and fetches it back', async () => {
    const { tree, git } = await scene.repoWithTree({ kind: 'github', path: 'acme/big' });
    const blob = randomBytes(3 * 1024 * 1024).toString('base64');
    await tree.commit('big', { 'blob.txt': blob });
    await tree.push();
    const clone = join(scene.scratch, 'clone-big');
    await runGit(['clone', '--quiet', 'https://github.com/acme/big.git', clone], { env: git.env });
    expect(await readFile(join(clone, 'blob.txt'), 'utf8')).toBe(blob);
  });

  it('inflates the gzipped upload-pack requests git sends when it has many commits to offer', async () => {
    const { tree, git } = await scene.repoWithTree({ kind: 'github', path: 'acme/haves' });
    await tree.commit('base', { 'f.txt': '0' });
    await tree.push();
    const other = await WorkTree.init(join(scene.scratch, 'haves-other'), git, 'https://github.com/acme/haves.git');
    await other.git('fetch', '--quiet', 'origin');
    await other.git('checkout', '--quiet', '-b', 'local', 'origin/main');
    for (let i = 0; i < 120; i++) await other.commit(`local ${i}`);
    const upstream = await tree.commit('upstream', { 'f.txt': '1' });
    await tree.push();
    const before = scene.forge.requests.length;
    await other.git('fetch', '--quiet', 'origin');
    expect((await other.git('rev-parse', 'origin/main')).trim()).toBe(upstream);
    const sent = scene.forge.requests.slice(before).filter((r) => r.url.endsWith('/git-upload-pack'));
    expect(sent.some((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
  }, 60_000);
});

describe('git auth', () => {
  it('serves a private repository to its token only', async () => {
    const { repo, tree, git } = await scene.repoWithTree({ kind: 'github', path: 'acme/secret', private: true, token: 'tok-secret' });
    await tree.commit('s', { 's.txt': 's' });
    await tree.push();
    await scene.repoWithTree({ kind: 'github', path: 'acme/other', private: true, token: 'tok-other' });
    const lsRemote = (url: string) => runGit(['ls-remote', url], { env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' } });
    await expect(lsRemote(scene.forge.gitUrl(repo, 'tok-secret'))).resolves.toContain('refs/heads/main');
    await expect(lsRemote(scene.forge.gitUrl(repo))).rejects.toThrow(/could not read Username|Authentication failed/);
    await expect(lsRemote(scene.forge.gitUrl(repo, 'tok-wrong'))).rejects.toThrow(/Authentication failed/);
    await expect(lsRemote(scene.forge.gitUrl(repo, 'tok-other'))).rejects.toThrow(/not found/);
    // The realistic remote works through the config's per-repository rule, which carries the token.
    await expect(runGit(['ls-remote', repo.remoteUrl], { env: git.env })).resolves.toContain('refs/heads/main');
  });

  it('lets anyone read a public repository with a token, but only the token push to it', async () => {
    const { repo, tree } = await scene.repoWithTree({ kind: 'gitlab', path: 'team/open', token: 'tok-open' });
    await tree.commit('o', { 'o.txt': 'o' });
    await tree.push();
    const anonymous = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
    await expect(runGit(['ls-remote', scene.forge.gitUrl(repo)], { env: anonymous })).resolves.toContain('refs/heads/main');
    await tree.commit('o2', { 'o.txt': 'o2' });
    await expect(tree.git('push', '--quiet', scene.forge.gitUrl(repo), 'HEAD:refs/heads/main')).rejects.toThrow();
    await expect(tree.git('push', '--quiet', scene.forge.gitUrl(repo, 'tok-open'), 'HEAD:refs/heads/main')).resolves.toBeDefined();
  });

  it('answers 404 for a repository it does not have', async () => {
    const res = await fetch(`${scene.forge.url}/github.com/acme/nothing.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(404);
  });
});
