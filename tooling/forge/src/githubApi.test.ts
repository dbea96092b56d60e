import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgeScene, tarGzFiles, type ForgeScene } from './__fixtures__/forgeScene.js';
import type { WorkTree } from './WorkTree.js';

let scene: ForgeScene;
let tree: WorkTree;
const shas: Record<string, string> = {};

/** main: c1 → c2; feature: c1 → f1 (so main and feature diverge); private acme/vault. */
beforeAll(async () => {
  scene = await startForgeScene();
  ({ tree } = await scene.repoWithTree({ kind: 'github', path: 'acme/demo' }));
  shas.c1 = await tree.commit('c1', { 'a.txt': 'one\n' });
  shas.c2 = await tree.commit('c2', { 'a.txt': 'two\n', 'pkg/b.py': 'b = 2\n' });
  await tree.push();
  await tree.git('checkout', '--quiet', '-b', 'feature', shas.c1!);
  shas.f1 = await tree.commit('f1', { 'f.txt': 'f\n' });
  await tree.push('HEAD:refs/heads/feature');
  for (const name of ['zeta', 'release/1.0']) await tree.push(`${shas.c1}:refs/heads/${name}`);
  shas.local = await tree.commit('not pushed');
  const vault = await scene.repoWithTree({ kind: 'github', path: 'acme/vault', private: true, token: 'vault-token' });
  shas.vault = await vault.tree.commit('v', { 'v.txt': 'v\n' });
  await vault.tree.push();
  await scene.repoWithTree({ kind: 'github', host: 'ghe.example.com', path: 'corp/app' });
});
afterAll(() => scene.stop());

const api = (path: string, headers: Record<string, string> = {}) => fetch(`${scene.forge.githubApiUrl()}${path}`, { headers, redirect: 'manual' });

describe('GitHub REST: repositories and commits', () => {
  it('GET /repos/{owner}/{repo}, case-insensitively', async () => {
    const res = await api('/repos/ACME/Demo');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ full_name: 'acme/demo', private: false, default_branch: 'main', clone_url: 'https://github.com/acme/demo.git' });
    expect((await api('/repos/acme/none')).status).toBe(404);
  });

  it('GET /repos/{o}/{r}/commits/{sha}: full or abbreviated sha; 422 for an unknown one', async () => {
    const res = await api(`/repos/acme/demo/commits/${shas.c2!.slice(0, 10)}`);
    expect(await res.json()).toMatchObject({ sha: shas.c2, commit: { message: 'c2' }, parents: [{ sha: shas.c1 }] });
    const unknown = await api(`/repos/acme/demo/commits/${shas.local}`);
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ message: `No commit found for SHA: ${shas.local}` });
  });

  it('409 for any commit of an empty repository', async () => {
    await scene.forge.createRepository({ kind: 'github', path: 'acme/empty' });
    const res = await api(`/repos/acme/empty/commits/${shas.c1}`);
    expect([res.status, await res.json()]).toEqual([409, expect.objectContaining({ message: 'Git Repository is empty.' })]);
  });

  it.each([
    ['main', 'c1', 'behind', 0, 1],
    ['c1', 'main', 'ahead', 1, 0],
    ['main', 'c2', 'identical', 0, 0],
    ['main', 'f1', 'diverged', 1, 1],
  ])('compare %s...%s is %s', async (base, head, status, ahead, behind) => {
    const ref = (name: string) => shas[name] ?? name;
    const res = await api(`/repos/acme/demo/compare/${ref(base)}...${ref(head)}`);
    expect(await res.json()).toMatchObject({ status, ahead_by: ahead, behind_by: behind });
  });

  it('compare with an encoded branch name, and 404 for an unknown side', async () => {
    const res = await api(`/repos/acme/demo/compare/${encodeURIComponent(`release/1.0...${shas.c1}`)}`);
    expect(await res.json()).toMatchObject({ status: 'identical' });
    expect((await api(`/repos/acme/demo/compare/main...${shas.local}`)).status).toBe(404);
  });

  it('GET /repos/{o}/{r}/branches pages with a Link header', async () => {
    const first = await api('/repos/acme/demo/branches?per_page=2');
    expect(((await first.json()) as { name: string }[]).map((b) => b.name)).toEqual(['feature', 'main']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toContain('page=2');
    const second = await fetch(next!);
    expect(await second.json()).toEqual([
      expect.objectContaining({ name: 'release/1.0', commit: expect.objectContaining({ sha: shas.c1 }) }),
      expect.objectContaining({ name: 'zeta' }),
    ]);
    expect(second.headers.get('link')).not.toContain('rel="next"');
  });
});

describe('GitHub REST: tarball', () => {
  it('redirects to another origin whose archive is <owner>-<repo>-<sha7>/ at the commit', async () => {
    const res = await api(`/repos/acme/demo/tarball/${shas.c2}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(scene.forge.archiveUrl);
    expect(location.origin).not.toBe(scene.forge.url);
    const files = await tarGzFiles(await (await fetch(location)).arrayBuffer());
    const top = `acme-demo-${shas.c2!.slice(0, 7)}/`;
    expect(files).toEqual({ [`${top}a.txt`]: 'two\n', [`${top}pkg/b.py`]: 'b = 2\n' });
  });

  it('private: the redirect carries a short-lived token; the archive origin refuses an Authorization header', async () => {
    expect((await api(`/repos/acme/vault/tarball/${shas.vault}`)).status).toBe(404);
    const res = await api(`/repos/acme/vault/tarball/${shas.vault}`, { authorization: 'Bearer vault-token' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
    expect((await fetch(location, { headers: { authorization: 'Bearer vault-token' } })).status).toBe(400);
    const ok = await fetch(location);
    expect(Object.keys(await tarGzFiles(await ok.arrayBuffer()))).toEqual([`acme-vault-${shas.vault!.slice(0, 7)}/v.txt`]);
    location.searchParams.delete('token');
    expect((await fetch(location)).status).toBe(404);
  });

  it('404 for an unknown ref', async () => {
    expect((await api(`/repos/acme/demo/tarball/${shas.local}`)).status).toBe(404);
  });
});

describe('GitHub REST: auth', () => {
  it.each([
    ['no token on a private repository', '/repos/acme/vault', {}, 404, 'Not Found'],
    ['a token nobody has', '/repos/acme/vault', { authorization: 'Bearer nope' }, 401, 'Bad credentials'],
    ['a token nobody has, on a public repository too', '/repos/acme/demo', { authorization: 'token nope' }, 401, 'Bad credentials'],
  ])('%s', async (_name, path, headers, status, message) => {
    const res = await api(path, headers);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ message });
  });

  it('accepts both `Bearer` and `token` schemes', async () => {
    for (const scheme of ['Bearer', 'token']) expect((await api('/repos/acme/vault', { authorization: `${scheme} vault-token` })).status).toBe(200);
  });
});

describe('GitHub Enterprise', () => {
  it('serves a GHE host under /<host>/api/v3, and only there', async () => {
    const res = await fetch(`${scene.forge.githubApiUrl('ghe.example.com')}/repos/corp/app`);
    expect(scene.forge.githubApiUrl('ghe.example.com')).toBe(`${scene.forge.url}/ghe.example.com/api/v3`);
    expect(await res.json()).toMatchObject({ full_name: 'corp/app', html_url: 'https://ghe.example.com/corp/app' });
    expect((await api('/repos/corp/app')).status).toBe(404);
  });
});
