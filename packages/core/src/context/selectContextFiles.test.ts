import { execFileSync } from 'node:child_process';
import { chmod, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { LARGE_CONTEXT_BYTES, selectContextFiles } from './selectContextFiles.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempRoot(paths: readonly string[] = []): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeContextTree(dir, paths);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

const paths = (selection: { entries: { path: string }[] }): string[] => selection.entries.map((e) => e.path);

describe('choosing the ignore file', () => {
  it('reads <root>/.dockerignore and reports its patterns as Docker normalises them', async () => {
    const root = await tempRoot(['a/x', 'b', 'c']);
    await writeFile(join(root, '.dockerignore'), '# comment\n  ./a/  \n\n!/a/x\n/b\n');
    const selection = await selectContextFiles({ root });
    expect(selection.dockerignoreFile).toBe(join(root, '.dockerignore'));
    expect(selection.patterns).toEqual(['a', '!a/x', 'b']);
    expect(paths(selection)).toEqual(['.dockerignore', 'a', 'a/x', 'c']);
  });

  it('prefers an explicit file, even one outside the root, over <root>/.dockerignore', async () => {
    const root = await tempRoot(['keep.txt', 'drop.txt']);
    await writeFile(join(root, '.dockerignore'), 'keep.txt\n');
    const elsewhere = await tempRoot();
    const explicit = join(elsewhere, 'custom.dockerignore');
    await writeFile(explicit, 'drop.txt\n');
    const selection = await selectContextFiles({ root, dockerignoreFile: explicit });
    expect(selection.dockerignoreFile).toBe(explicit);
    expect(paths(selection)).toEqual(['.dockerignore', 'keep.txt']);
  });

  it('refuses a missing explicit file, naming it', async () => {
    const root = await tempRoot(['a.txt']);
    const missing = join(root, 'nope.dockerignore');
    const error = await rejection(selectContextFiles({ root, dockerignoreFile: missing }));
    expect(error.code).toBe('CONTEXT_INVALID');
    expect(error.file).toBe(missing);
    expect(error.message).toContain(missing);
    expect(error.hint).toMatch(/dockerignore/);
  });

  it('includes everything when there is no ignore file', async () => {
    const root = await tempRoot(['z.txt', 'a/b/c.txt', 'empty/']);
    const selection = await selectContextFiles({ root, dockerignoreFile: null });
    expect(selection.dockerignoreFile).toBeNull();
    expect(selection.patterns).toEqual([]);
    expect(paths(selection)).toEqual(['a', 'a/b', 'a/b/c.txt', 'empty', 'z.txt']);
  });

  it('refuses a root that is not a directory', async () => {
    const root = await tempRoot(['file.txt']);
    const error = await rejection(selectContextFiles({ root: join(root, 'file.txt') }));
    expect(error.message).toContain('is not a directory');
  });
});

describe('entries', () => {
  it('are sorted by UTF-8 bytes and carry type, size, mode and absolute path', async () => {
    const root = await tempRoot(['b/\u{1F600}', 'b/\uFF21', 'a-b', 'a/x']);
    await writeFile(join(root, 'run.sh'), '#!/bin/sh\n');
    await chmod(join(root, 'run.sh'), 0o750);
    const selection = await selectContextFiles({ root });
    // U+FF21 sorts before U+1F600 in UTF-8 (and in Go), after it in UTF-16.
    expect(paths(selection)).toEqual(['a', 'a-b', 'a/x', 'b', 'b/\uFF21', 'b/\u{1F600}', 'run.sh']);
    expect(selection.entries.find((e) => e.path === 'run.sh')).toEqual({
      path: 'run.sh',
      type: 'file',
      mode: 0o750,
      size: 10,
      absolutePath: join(root, 'run.sh'),
      dev: expect.any(Number),
      ino: expect.any(Number),
      stat: { mtimeNs: expect.stringMatching(/^\d+$/), ctimeNs: expect.stringMatching(/^\d+$/), ino: expect.stringMatching(/^\d+$/), dev: expect.stringMatching(/^\d+$/) },
    });
    expect(selection.entries.find((e) => e.path === 'a')).toMatchObject({ type: 'directory', size: 0 });
    expect(selection.totalBytes).toBe(['a-b\n', 'a/x\n', 'b/\uFF21\n', 'b/\u{1F600}\n', '#!/bin/sh\n'].reduce((n, s) => n + Buffer.byteLength(s), 0));
  });

  it('leaves out named pipes with a warning instead of blocking on them', async () => {
    const root = await tempRoot(['a.txt']);
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const selection = await selectContextFiles({ root });
    expect(paths(selection)).toEqual(['a.txt']);
    expect(selection.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining(`${join(root, 'pipe')} is a named pipe`) })]);
  });
});

describe('symlinks', () => {
  it('keeps links that stay inside the root as links, without following them', async () => {
    const root = await tempRoot(['data/real.txt', 'data/sub/deep.txt']);
    await symlink('data/real.txt', join(root, 'file-link'));
    await symlink('data', join(root, 'dir-link'));
    await symlink(join(root, 'data', 'sub'), join(root, 'data', 'absolute-link'));
    await symlink('../real.txt', join(root, 'data', 'sub', 'up-link'));
    await symlink('missing.txt', join(root, 'dangling'));
    const selection = await selectContextFiles({ root });
    const links = selection.entries.filter((e) => e.type === 'symlink').map((e) => [e.path, e.linkTarget, e.size]);
    expect(links).toEqual([
      ['dangling', 'missing.txt', 0],
      ['data/absolute-link', join(root, 'data', 'sub'), 0],
      ['data/sub/up-link', '../real.txt', 0],
      ['dir-link', 'data', 0],
      ['file-link', 'data/real.txt', 0],
    ]);
    expect(paths(selection).filter((p) => p.startsWith('dir-link/'))).toEqual([]);
  });

  it.each([
    ['a relative target climbing out', 'sub/escape', '../../outside.txt'],
    ['an absolute target elsewhere', 'abs', '/etc/hostname'],
  ])('refuses %s, naming the link and its target', async (_what, link, target) => {
    const root = await tempRoot(['sub/a.txt']);
    await symlink(target, join(root, link));
    const error = await rejection(selectContextFiles({ root }));
    expect(error.code).toBe('CONTEXT_INVALID');
    expect(error.file).toBe(join(root, link));
    expect(error.message).toContain(link);
    expect(error.message).toContain(target);
    expect(error.hint).toMatch(/copy .*or add it to \.dockerignore/);
  });

  it('skips an ignored link that points outside, and one inside an excluded folder', async () => {
    const root = await tempRoot(['a.txt', 'vendor/lib.txt']);
    await symlink('/etc', join(root, 'etc-link'));
    await symlink('../../..', join(root, 'vendor', 'up'));
    await writeFile(join(root, '.dockerignore'), 'etc-link\nvendor\n');
    const selection = await selectContextFiles({ root });
    expect(paths(selection)).toEqual(['.dockerignore', 'a.txt']);
  });
});

describe('the large-context warning', () => {
  async function sparseFile(path: string, bytes: number): Promise<void> {
    const handle = await open(path, 'w');
    await handle.truncate(bytes);
    await handle.close();
  }

  it('suggests <root>/.dockerignore when more than 50 MiB would be sent and there is none', async () => {
    const root = await tempRoot(['small.txt']);
    await sparseFile(join(root, 'big.bin'), LARGE_CONTEXT_BYTES);
    const selection = await selectContextFiles({ root });
    expect(selection.totalBytes).toBeGreaterThan(LARGE_CONTEXT_BYTES);
    expect(selection.warnings).toHaveLength(1);
    expect(selection.warnings[0]?.message).toContain(`add a .dockerignore at ${join(root, '.dockerignore')}`);
  });

  it('stays quiet at exactly 50 MiB, and whenever a .dockerignore exists', async () => {
    const root = await tempRoot();
    await sparseFile(join(root, 'big.bin'), LARGE_CONTEXT_BYTES);
    expect((await selectContextFiles({ root })).warnings).toEqual([]);
    await sparseFile(join(root, 'more.bin'), 1024);
    await writeFile(join(root, '.dockerignore'), '# nothing excluded\n');
    expect((await selectContextFiles({ root })).warnings).toEqual([]);
  });
});

describe('unreadable files', () => {
  // The refusal itself is tested with a mocked EACCES (selectContextFiles.unreadable.test.ts):
  // CI runs as root, which can read anything, and CI must not skip tests.
  it('does not read files that are ignored', async () => {
    const root = await tempRoot(['ok.txt']);
    await mkdir(join(root, 'locked'));
    await writeFile(join(root, 'locked', 'key.pem'), 'x');
    await chmod(join(root, 'locked', 'key.pem'), 0o000);
    await writeFile(join(root, '.dockerignore'), 'locked\n');
    expect(paths(await selectContextFiles({ root }))).toEqual(['.dockerignore', 'ok.txt']);
  });
});
