import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForgeScene, tarGzFiles, type ForgeScene } from './__fixtures__/forgeScene.js';
import type { ForgeRepository } from './ForgeRepository.js';

let scene: ForgeScene;
let repo: ForgeRepository;
const shas: Record<string, string> = {};

/** group/sub/demo: main c1 → c2, feature c1 → f1; private group/vault; self-hosted gitlab.example.com. */
beforeAll(async () => {
  scene = await startForgeScene();
  const demo = await scene.repoWithTree({ kind: 'gitlab', path: 'group/sub/demo' });
  repo = demo.repo;
  shas.c1 = await demo.tree.commit('c1', { 'a.txt': 'one\n' });
  shas.c2 = await demo.tree.commit('c2', { 'a.txt': 'two\n', 'lib/b.py': 'b\n' });
  await demo.tree.push();
  await demo.tree.git('checkout', '--quiet', '-b', 'feature', shas.c1!);
  shas.f1 = await demo.tree.commit('f1');
  await demo.tree.push('HEAD:refs/heads/feature');
  shas.local = await demo.tree.commit('not pushed');
  const vault = await scene.repoWithTree({ kind: 'gitlab', path: 'group/vault', private: true, token: 'glpat-vault' });
  await vault.tree.commit('v', { 'v.txt': 'v\n' });
  await vault.tree.push();
  await scene.repoWithTree({ kind: 'gitlab', host: 'gitlab.example.com', path: 'ops/tools' });
});
afterAll(() => scene.stop());

const api = (path: string, headers: Record<string, string> = {}, host = 'gitlab.com') => fetch(`${scene.forge.gitlabUrl(host)}/api/v4${path}`, { headers });
const project = (path: string) => `/projects/${encodeURIComponent(path)}`;

describe('GitLab v4: projects and commits', () => {
  it('GET /projects/:id by URL-encoded path (any case) and by numeric id', async () => {
    const byPath = await (await api(project('Group/Sub/Demo'))).json();
    expect(byPath).toMatchObject({ id: repo.id, path_with_namespace: 'group/sub/demo', default_branch: 'main', visibility: 'public' });
    expect(await (await api(`/projects/${repo.id}`)).json()).toMatchObject({ path_with_namespace: 'group/sub/demo' });
    const missing = await api(project('group/none'));
    expect([missing.status, await missing.json()]).toEqual([404, { message: '404 Project Not Found' }]);
  });

  it('GET /projects/:id/repository/commits/:sha; 404 for an unknown one', async () => {
    expect(await (await api(`${project('group/sub/demo')}/repository/commits/${shas.c2}`)).json()).toMatchObject({ id: shas.c2, title: 'c2', parent_ids: [shas.c1] });
    const unknown = await api(`${project('group/sub/demo')}/repository/commits/${shas.local}`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: '404 Commit Not Found' }]);
  });

  it.each([
    ['c1', ['feature', 'main']],
    ['c2', ['main']],
    ['f1', ['feature']],
  ])('commits/%s/refs?type=branch lists the branches containing it', async (name, branches) => {
    const res = await api(`${project('group/sub/demo')}/repository/commits/${shas[name]}/refs?type=branch`);
    expect(await res.json()).toEqual(branches.map((b) => ({ type: 'branch', name: b })));
  });

  it('refs pages like GitLab (Link and x-* headers), is empty for tags, 404 for an unknown commit', async () => {
    const res = await api(`${project('group/sub/demo')}/repository/commits/${shas.c1}/refs?type=branch&per_page=1`);
    expect(await res.json()).toEqual([{ type: 'branch', name: 'feature' }]);
    expect([res.headers.get('x-total'), res.headers.get('x-next-page'), res.headers.get('link')]).toEqual(['2', '2', expect.stringContaining('rel="next"')]);
    expect(await (await api(`${project('group/sub/demo')}/repository/commits/${shas.c1}/refs?type=tag`)).json()).toEqual([]);
    expect((await api(`${project('group/sub/demo')}/repository/commits/${shas.local}/refs?type=branch`)).status).toBe(404);
  });
});

describe('GitLab v4: archive', () => {
  it('archive.tar.gz?sha= is the commit under <repo>-<sha>-<sha>/', async () => {
    const res = await api(`${project('group/sub/demo')}/repository/archive.tar.gz?sha=${shas.c2}`);
    const top = `demo-${shas.c2}-${shas.c2}/`;
    expect(await tarGzFiles(await res.arrayBuffer())).toEqual({ [`${top}a.txt`]: 'two\n', [`${top}lib/b.py`]: 'b\n' });
    expect((await api(`${project('group/sub/demo')}/repository/archive.tar.gz?sha=${shas.local}`)).status).toBe(404);
  });

  it('private: needs the PRIVATE-TOKEN', async () => {
    const path = `${project('group/vault')}/repository/archive.tar.gz?sha=main`;
    expect((await api(path)).status).toBe(404);
    const res = await api(path, { 'private-token': 'glpat-vault' });
    expect(Object.keys(await tarGzFiles(await res.arrayBuffer()))).toEqual([expect.stringMatching(/^vault-main-[0-9a-f]{40}\/v\.txt$/)]);
  });
});

describe('GitLab v4: auth and hosts', () => {
  it.each([
    ['no token on a private project', 'group/vault', {}, 404, '404 Project Not Found'],
    ['an unknown PRIVATE-TOKEN', 'group/vault', { 'private-token': 'nope' }, 401, '401 Unauthorized'],
    ['an unknown token on a public project', 'group/sub/demo', { 'private-token': 'nope' }, 401, '401 Unauthorized'],
    ['the project token as PRIVATE-TOKEN', 'group/vault', { 'private-token': 'glpat-vault' }, 200, undefined],
    ['the project token as an OAuth bearer', 'group/vault', { authorization: 'Bearer glpat-vault' }, 200, undefined],
  ])('%s', async (_name, path, headers, status, message) => {
    const res = await api(project(path), headers);
    expect(res.status).toBe(status);
    if (message) expect(await res.json()).toEqual({ message });
  });

  it('serves a self-hosted host under /<host>/api/v4, and only there', async () => {
    expect(await (await api(project('ops/tools'), {}, 'gitlab.example.com')).json()).toMatchObject({ web_url: 'https://gitlab.example.com/ops/tools' });
    expect((await api(project('ops/tools'))).status).toBe(404);
  });
});
