import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { CodeDownloadSpec } from '@stowage/plugin-api';
import { readContextArchive } from '@stowage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubRepository, startGithubForge, type GithubForgeScene } from './__fixtures__/githubForge.js';

let scene: GithubForgeScene;
beforeAll(async () => {
  scene = await startGithubForge();
});
afterAll(() => scene?.stop());

/**
 * What the in-image bootstrap does with a spec: send `<header>: <prefix><$tokenEnv>`, follow
 * redirects by hand and drop the header when one leaves the origin, then strip the top folders.
 */
async function download(spec: CodeDownloadSpec, env: Record<string, string>): Promise<Record<string, string>> {
  let url = new URL(spec.url);
  const origin = url.origin;
  for (let hops = 0; ; hops++) {
    const headers: Record<string, string> = spec.auth && url.origin === origin ? { [spec.auth.header]: `${spec.auth.prefix}${env[spec.auth.tokenEnv]}` } : {};
    const res = await fetch(url, { headers, redirect: 'manual' });
    if (res.status >= 300 && res.status < 400 && hops < 5) {
      url = new URL(res.headers.get('location')!, url);
      continue;
    }
    expect(res.status).toBe(200);
    const entries = await readContextArchive(Readable.from(gunzipSync(Buffer.from(await res.arrayBuffer()))));
    const strip = (name: string) => name.split('/').slice(spec.stripComponents).join('/');
    return Object.fromEntries(entries.filter((e) => e.type === 'file').map((e) => [strip(e.name), e.content]));
  }
}

/** The commit's tree as git has it: every file and its content. */
function treeOf(dir: string, commit: string): Record<string, string> {
  const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout;
  const files = git('ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean);
  return Object.fromEntries(files.map((f) => [f, git('show', `${commit}:${f}`)]));
}

describe('downloadSpec against the forge', () => {
  it('public: the URL downloads without auth, and the stripped archive is the commit’s tree', async () => {
    const repo = await githubRepository({ owner: 'acme', repository: 'demo', api_url: scene.forge.githubApiUrl() });
    const spec = repo.downloadSpec(scene.shas.c2, 'pipelines/train');
    expect(spec.auth).toBeUndefined();
    const files = await download(spec, {});
    expect(files).toEqual(treeOf(scene.tree.dir, scene.shas.c2));
    expect(files['pipelines/train/step.py']).toBe('print("train v2")\n');
  });

  it('private: the token from the named variable authorises the API request, and is not sent to the archive origin', async () => {
    const repo = await githubRepository({ owner: 'acme', repository: 'vault', api_url: scene.forge.githubApiUrl(), token: 'vault-token', token_env: 'VAULT_TOKEN' });
    const spec = repo.downloadSpec(scene.shas.v1);
    const before = scene.forge.requests.length;
    expect(await download(spec, { VAULT_TOKEN: 'vault-token' })).toEqual({ 'secret.txt': 's\n' });
    const [api, archive] = scene.forge.requests.slice(before);
    expect([api?.origin, api?.headers.authorization]).toEqual(['forge', 'Bearer vault-token']);
    expect([archive?.origin, archive?.headers.authorization]).toEqual(['archive', undefined]);
  });

  it('private: without the token the URL is not found', async () => {
    const repo = await githubRepository({ owner: 'acme', repository: 'vault', api_url: scene.forge.githubApiUrl(), token: 'vault-token' });
    expect((await fetch(repo.downloadSpec(scene.shas.v1).url, { redirect: 'manual' })).status).toBe(404);
  });
});
