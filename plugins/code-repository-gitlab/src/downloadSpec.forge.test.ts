import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { CodeDownloadSpec } from '@stowage/plugin-api';
import { readContextArchive } from '@stowage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabRepository, startGitlabForge, type GitlabForgeScene } from './__fixtures__/gitlabForge.js';

let scene: GitlabForgeScene;
beforeAll(async () => {
  scene = await startGitlabForge();
});
afterAll(() => scene?.stop());

/** What the in-image bootstrap does with a spec: `<header>: <prefix><$tokenEnv>`, then strip the top folders. */
async function download(spec: CodeDownloadSpec, env: Record<string, string>): Promise<Record<string, string>> {
  const headers: Record<string, string> = spec.auth ? { [spec.auth.header]: `${spec.auth.prefix}${env[spec.auth.tokenEnv]}` } : {};
  const res = await fetch(spec.url, { headers });
  expect(res.status).toBe(200);
  const entries = await readContextArchive(Readable.from(gunzipSync(Buffer.from(await res.arrayBuffer()))));
  const strip = (name: string) => name.split('/').slice(spec.stripComponents).join('/');
  return Object.fromEntries(entries.filter((e) => e.type === 'file').map((e) => [strip(e.name), e.content]));
}

function treeOf(dir: string, commit: string): Record<string, string> {
  const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).stdout;
  const files = git('ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean);
  return Object.fromEntries(files.map((f) => [f, git('show', `${commit}:${f}`)]));
}

describe('downloadSpec against the forge', () => {
  it('public: the stripped archive is the commit’s tree', async () => {
    const spec = (await gitlabRepository({ project: 'group/sub/demo', url: scene.forge.gitlabUrl() })).downloadSpec(scene.shas.c2, 'ml');
    expect(spec.auth).toBeUndefined();
    const files = await download(spec, {});
    expect(files).toEqual(treeOf(scene.tree.dir, scene.shas.c2));
    expect(files['ml/train.py']).toBe('print("train v2")\n');
  });

  it('private: PRIVATE-TOKEN from the named variable; without it, 404', async () => {
    const repo = await gitlabRepository({ project: 'group/vault', url: scene.forge.gitlabUrl(), token: 'glpat-vault', token_env: 'CI_JOB_GITLAB_TOKEN' });
    const spec = repo.downloadSpec(scene.shas.v1);
    expect(await download(spec, { CI_JOB_GITLAB_TOKEN: 'glpat-vault' })).toEqual({ 'vault.txt': 'vault\n' });
    expect((await fetch(spec.url)).status).toBe(404);
  });
});
