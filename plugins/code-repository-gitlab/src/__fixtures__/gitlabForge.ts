import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge, WorkTree, writeTestGitConfig } from '@stowage/forge';
import type { CodeRepository, FlavorContext } from '@stowage/plugin-api';
import { GitlabCodeRepositoryConfigSchema } from '../config.js';
import { gitlabCodeRepositoryFlavor } from '../plugin.js';

export interface GitlabForgeScene {
  forge: Forge;
  /** The public group/sub/demo work tree (the commits below are in it). */
  tree: WorkTree;
  /**
   * gitlab.com group/sub/demo: main c1 → c2; feature c1 → f1; o1 pushed then its branch deleted
   * (GitLab knows it, no branch has it); l1 only local. group/vault (private, token
   * `glpat-vault`): v1. gitlab.example.com ops/tools: t1.
   */
  shas: Record<'c1' | 'c2' | 'f1' | 'o1' | 'l1' | 'v1' | 't1', string>;
  stop(): Promise<void>;
}

async function pushDemo(tree: WorkTree): Promise<Pick<GitlabForgeScene['shas'], 'c1' | 'c2' | 'f1' | 'o1' | 'l1'>> {
  const c1 = await tree.commit('c1', { 'README.md': '# demo\n', 'ml/train.py': 'print("train")\n' });
  const c2 = await tree.commit('c2', { 'ml/train.py': 'print("train v2")\n', 'ml/data/schema.json': '{}\n' });
  await tree.push();
  await tree.git('checkout', '--quiet', '-b', 'feature', c1);
  const f1 = await tree.commit('f1', { 'feature.txt': 'f\n' });
  await tree.push('HEAD:refs/heads/feature');
  const o1 = await tree.commit('o1');
  await tree.push('HEAD:refs/heads/tmp');
  await tree.push(':refs/heads/tmp');
  const l1 = await tree.commit('l1');
  return { c1, c2, f1, o1, l1 };
}

async function pushOne(forgeRoot: string, git: Awaited<ReturnType<typeof writeTestGitConfig>>, name: string, remote: string): Promise<string> {
  const tree = await WorkTree.init(join(forgeRoot, name), git, remote);
  const sha = await tree.commit(name, { [`${name}.txt`]: `${name}\n` });
  await tree.push();
  return sha;
}

export async function startGitlabForge(): Promise<GitlabForgeScene> {
  const forge = await Forge.start();
  const scratch = await mkdtemp(join(tmpdir(), 'code-repository-gitlab-'));
  await forge.createRepository({ kind: 'gitlab', path: 'group/sub/demo' });
  await forge.createRepository({ kind: 'gitlab', path: 'group/vault', private: true, token: 'glpat-vault' });
  await forge.createRepository({ kind: 'gitlab', host: 'gitlab.example.com', path: 'ops/tools' });
  const git = await writeTestGitConfig(forge, join(scratch, 'gitconfig'));
  const tree = await WorkTree.init(join(scratch, 'demo'), git, 'git@gitlab.com:group/sub/demo.git');
  const demo = await pushDemo(tree);
  const v1 = await pushOne(scratch, git, 'vault', 'https://gitlab.com/group/vault.git');
  const t1 = await pushOne(scratch, git, 'tools', 'https://gitlab.example.com/ops/tools.git');
  return {
    forge,
    tree,
    shas: { ...demo, v1, t1 },
    async stop() {
      await forge.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The component as Stowage creates it: config through the flavor's schema, then `create`. */
export async function gitlabRepository(config: Record<string, unknown>): Promise<CodeRepository> {
  return gitlabCodeRepositoryFlavor.create(GitlabCodeRepositoryConfigSchema.parse(config), {} as FlavorContext, {});
}
