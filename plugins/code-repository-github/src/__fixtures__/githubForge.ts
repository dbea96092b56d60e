import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge, WorkTree, writeTestGitConfig } from '@stowage/forge';
import type { CodeRepository, FlavorContext } from '@stowage/plugin-api';
import { GithubCodeRepositoryConfigSchema } from '../config.js';
import { githubCodeRepositoryFlavor } from '../plugin.js';

export interface GithubForgeScene {
  forge: Forge;
  /** The public acme/demo work tree (the commits below are in it). */
  tree: WorkTree;
  /**
   * acme/demo: main c1 → c2; feature c1 → f1; 105 branches b000… at c1; zz-last c1 → z1 (past the
   * first page of branches); release/2024.1 c1 → r1 (a `/` in the name); o1 pushed then its branch deleted (GitHub knows it, no branch has it);
   * l1 only local. acme/vault (private, token `vault-token`): v1 on main. ghe.example.com corp/app: g1.
   */
  shas: Record<'c1' | 'c2' | 'f1' | 'z1' | 'r1' | 'o1' | 'l1' | 'v1' | 'g1', string>;
  stop(): Promise<void>;
}

async function pushDemo(tree: WorkTree): Promise<Pick<GithubForgeScene['shas'], 'c1' | 'c2' | 'f1' | 'z1' | 'r1' | 'o1' | 'l1'>> {
  const c1 = await tree.commit('c1', { 'README.md': '# demo\n', 'pipelines/train/step.py': 'print("train")\n' });
  const c2 = await tree.commit('c2', { 'pipelines/train/step.py': 'print("train v2")\n', 'setup.cfg': '[x]\n' });
  await tree.push();
  const many = Array.from({ length: 105 }, (_, i) => `${c1}:refs/heads/b${String(i).padStart(3, '0')}`);
  await tree.git('push', '--quiet', 'origin', ...many);
  await tree.git('checkout', '--quiet', '-b', 'feature', c1);
  const f1 = await tree.commit('f1', { 'feature.txt': 'f\n' });
  await tree.push('HEAD:refs/heads/feature');
  await tree.git('checkout', '--quiet', '-b', 'zz', c1);
  const z1 = await tree.commit('z1');
  await tree.push('HEAD:refs/heads/zz-last');
  await tree.git('checkout', '--quiet', '-b', 'release', c1);
  const r1 = await tree.commit('r1');
  await tree.push('HEAD:refs/heads/release/2024.1');
  const o1 = await tree.commit('o1');
  await tree.push('HEAD:refs/heads/tmp');
  await tree.push(':refs/heads/tmp');
  const l1 = await tree.commit('l1');
  return { c1, c2, f1, z1, r1, o1, l1 };
}

export async function startGithubForge(): Promise<GithubForgeScene> {
  const forge = await Forge.start();
  const scratch = await mkdtemp(join(tmpdir(), 'code-repository-github-'));
  await forge.createRepository({ kind: 'github', path: 'acme/demo' });
  await forge.createRepository({ kind: 'github', path: 'acme/vault', private: true, token: 'vault-token' });
  await forge.createRepository({ kind: 'github', host: 'ghe.example.com', path: 'corp/app' });
  const git = await writeTestGitConfig(forge, join(scratch, 'gitconfig'));
  const tree = await WorkTree.init(join(scratch, 'demo'), git, 'https://github.com/acme/demo.git');
  const demo = await pushDemo(tree);
  const vault = await WorkTree.init(join(scratch, 'vault'), git, 'https://github.com/acme/vault.git');
  const v1 = await vault.commit('v1', { 'secret.txt': 's\n' });
  await vault.push();
  const ghe = await WorkTree.init(join(scratch, 'ghe'), git, 'git@ghe.example.com:corp/app.git');
  const g1 = await ghe.commit('g1');
  await ghe.push();
  return {
    forge,
    tree,
    shas: { ...demo, v1, g1 },
    async stop() {
      await forge.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The component as Stowage creates it: config through the flavor's schema, then `create`. */
export async function githubRepository(config: Record<string, unknown>): Promise<CodeRepository> {
  return githubCodeRepositoryFlavor.create(GithubCodeRepositoryConfigSchema.parse(config), {} as FlavorContext, {});
}
