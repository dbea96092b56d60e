import { chmod, mkdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const TREE = ['src/app.py', 'src/pkg/util.py', 'README.md'];

async function tempRoot(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeContextTree(dir, TREE);
  await symlink('src/app.py', join(dir, 'link'));
  return dir;
}

const digestOf = async (root: string): Promise<string> => sourceDigest(await selectContextFiles({ root }));

describe('sourceDigest', () => {
  it('is the same for the same files in another folder, on another run, with other mtimes', async () => {
    const a = await tempRoot();
    const b = await tempRoot();
    await utimes(join(b, 'src', 'app.py'), new Date('2000-01-01'), new Date('2000-01-01'));
    const digest = await digestOf(a);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await digestOf(a)).toBe(digest);
    expect(await digestOf(b)).toBe(digest);
  });

  it.each<[string, (root: string) => Promise<void>]>([
    ['a content change', (root) => writeFile(join(root, 'src', 'app.py'), 'print(2)\n')],
    ['a rename', (root) => rename(join(root, 'README.md'), join(root, 'README.txt'))],
    ['an executable bit', (root) => chmod(join(root, 'src', 'app.py'), 0o755)],
    ['a new file', (root) => writeFile(join(root, 'new.py'), '')],
    ['a removed file', (root) => rm(join(root, 'src', 'pkg', 'util.py'))],
    ['a new empty folder', (root) => mkdir(join(root, 'empty'))],
    ['a retargeted symlink', async (root) => {
      await rm(join(root, 'link'));
      await symlink('src/pkg/util.py', join(root, 'link'));
    }],
    ['a file replaced by a symlink', async (root) => {
      await rm(join(root, 'README.md'));
      await symlink('src/app.py', join(root, 'README.md'));
    }],
  ])('changes with %s', async (_what, change) => {
    const root = await tempRoot();
    const before = await digestOf(root);
    await change(root);
    expect(await digestOf(root)).not.toBe(before);
  });

  it('ignores permission changes that the archive normalises away (0644 vs 0600)', async () => {
    const root = await tempRoot();
    const before = await digestOf(root);
    await chmod(join(root, 'README.md'), 0o600);
    expect(await digestOf(root)).toBe(before);
  });

  it('does not depend on files the .dockerignore leaves out', async () => {
    const root = await tempRoot();
    await writeFile(join(root, '.dockerignore'), '*.log\n');
    const before = await digestOf(root);
    await writeFile(join(root, 'debug.log'), 'noise');
    expect(await digestOf(root)).toBe(before);
  });

  it('fails with a StowageError naming a file that vanished', async () => {
    const root = await tempRoot();
    const selection = await selectContextFiles({ root });
    await rm(join(root, 'README.md'));
    const error = await sourceDigest(selection).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect((error as StowageError).file).toBe(join(root, 'README.md'));
  });
});
