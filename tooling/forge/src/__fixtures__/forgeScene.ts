import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { readContextArchive } from '@stowage/testing';
import { Forge } from '../Forge.js';
import type { CreateRepositoryOptions, ForgeRepository } from '../ForgeRepository.js';
import { writeTestGitConfig, type TestGitConfig } from '../testGitConfig.js';
import { WorkTree } from '../WorkTree.js';

/** A forge, a scratch folder and helpers the emulator's own tests share. */
export interface ForgeScene {
  forge: Forge;
  scratch: string;
  /** Creates a repository, a work tree with origin = its realistic remote, and (re)writes the git config. */
  repoWithTree(options: CreateRepositoryOptions): Promise<{ repo: ForgeRepository; tree: WorkTree; git: TestGitConfig }>;
  gitConfig(): Promise<TestGitConfig>;
  stop(): Promise<void>;
}

export async function startForgeScene(): Promise<ForgeScene> {
  const forge = await Forge.start();
  const scratch = await mkdtemp(join(tmpdir(), 'forge-test-'));
  let trees = 0;
  const gitConfig = () => writeTestGitConfig(forge, join(scratch, 'gitconfig'));
  return {
    forge,
    scratch,
    gitConfig,
    async repoWithTree(options) {
      const repo = await forge.createRepository(options);
      const git = await gitConfig();
      const tree = await WorkTree.init(join(scratch, `tree-${++trees}`), git, repo.remoteUrl);
      return { repo, tree, git };
    },
    async stop() {
      await forge.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Files of a tar.gz (regular files only, by path), for comparing an archive with a commit. */
export async function tarGzFiles(body: ArrayBuffer | Buffer): Promise<Record<string, string>> {
  const entries = await readContextArchive(Readable.from(gunzipSync(Buffer.from(body as ArrayBuffer))));
  return Object.fromEntries(entries.filter((e) => e.type === 'file').map((e) => [e.name, e.content]));
}
