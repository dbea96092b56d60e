import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, chmod, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { archiveBytes, readArchive } from './__fixtures__/readArchive.js';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import type { ContextArchiveOptions } from './ContextSelection.js';
import { createContextArchive } from './createContextArchive.js';
import { selectContextFiles } from './selectContextFiles.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempRoot(paths: readonly string[] = [], dockerignore?: string): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeContextTree(dir, paths);
  if (dockerignore !== undefined) await writeFile(join(dir, '.dockerignore'), dockerignore);
  return dir;
}

const TREE = ['src/app.py', 'src/pkg/util.py', 'README.md', 'empty/'];

async function archiveOf(opts: ContextArchiveOptions): Promise<Buffer> {
  return archiveBytes(createContextArchive(opts));
}

async function streamError(opts: ContextArchiveOptions): Promise<StowageError> {
  const error = await archiveBytes(createContextArchive(opts)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

describe('determinism', () => {
  it('gives byte-identical archives for the same files, whatever their mtimes or root', async () => {
    const first = await tempRoot(TREE);
    const second = await tempRoot(TREE);
    await utimes(join(second, 'src', 'app.py'), new Date('2001-02-03'), new Date('2001-02-03'));
    await utimes(join(second, 'src'), new Date('2011-02-03'), new Date('2011-02-03'));
    const a = await archiveOf({ selection: await selectContextFiles({ root: first }) });
    const again = await archiveOf({ selection: await selectContextFiles({ root: first }) });
    const b = await archiveOf({ selection: await selectContextFiles({ root: second }) });
    expect(again.equals(a)).toBe(true);
    expect(b.equals(a)).toBe(true);
  });

  it('writes sorted entries with root ownership, no owner names and normalised modes', async () => {
    const root = await tempRoot(TREE);
    await chmod(join(root, 'src'), 0o700);
    await chmod(join(root, 'README.md'), 0o600);
    await writeFile(join(root, 'run.sh'), 'echo hi\n');
    await chmod(join(root, 'run.sh'), 0o744);
    await symlink('src/app.py', join(root, 'link'));
    const members = await readArchive(createContextArchive({ selection: await selectContextFiles({ root }) }));
    expect(members.map((m) => [m.header.name, m.header.type, m.header.mode, m.header.linkname ?? null])).toEqual([
      ['README.md', 'file', 0o644, null],
      ['empty/', 'directory', 0o755, null],
      ['link', 'symlink', 0o777, 'src/app.py'],
      ['run.sh', 'file', 0o755, null],
      ['src/', 'directory', 0o755, null],
      ['src/app.py', 'file', 0o644, null],
      ['src/pkg/', 'directory', 0o755, null],
      ['src/pkg/util.py', 'file', 0o644, null],
    ]);
    for (const { header } of members) {
      expect([header.uid, header.gid, header.uname, header.gname, header.mtime.getTime()]).toEqual([0, 0, '', '', 0]);
    }
    expect(members.find((m) => m.header.name === 'src/app.py')?.content.toString()).toBe('src/app.py\n');
  });

  it('is a tar that GNU tar lists', async () => {
    const root = await tempRoot(TREE);
    const bytes = await archiveOf({ selection: await selectContextFiles({ root }) });
    const listing = execFileSync('tar', ['-t'], { input: bytes }).toString().trim().split('\n');
    expect(listing).toEqual(['README.md', 'empty/', 'src/', 'src/app.py', 'src/pkg/', 'src/pkg/util.py']);
  });
});

describe('mtime', () => {
  async function mtimes(opts: Omit<ContextArchiveOptions, 'selection'>): Promise<number[]> {
    const root = await tempRoot(['a.txt', 'd/b.txt']);
    const members = await readArchive(createContextArchive({ ...opts, selection: await selectContextFiles({ root }) }));
    return [...new Set(members.map((m) => m.header.mtime.getTime() / 1000))];
  }

  it('takes SOURCE_DATE_EPOCH when it is a whole number, and the explicit value over it', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000000');
    expect(await mtimes({})).toEqual([1700000000]);
    expect(await mtimes({ mtime: 42 })).toEqual([42]);
  });

  it('falls back to 0 when SOURCE_DATE_EPOCH is not a whole number', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', 'yesterday');
    expect(await mtimes({})).toEqual([0]);
    vi.stubEnv('SOURCE_DATE_EPOCH', '-5');
    expect(await mtimes({})).toEqual([0]);
  });

  it('refuses an explicit mtime that is not whole seconds', () => {
    expect(() => createContextArchive({ selection: null, mtime: 1.5 })).toThrow(/whole number of seconds/);
  });
});

describe('extra files', () => {
  it('replace a selected file of the same path, and default to mode 0644', async () => {
    const root = await tempRoot(['Dockerfile', 'app.py']);
    await chmod(join(root, 'Dockerfile'), 0o755);
    const members = await readArchive(
      createContextArchive({
        selection: await selectContextFiles({ root }),
        extraFiles: [{ path: 'Dockerfile', content: 'FROM scratch\n' }],
      }),
    );
    expect(members.map((m) => [m.header.name, m.header.mode, m.content.toString()])).toEqual([
      ['Dockerfile', 0o644, 'FROM scratch\n'],
      ['app.py', 0o644, 'app.py\n'],
    ]);
  });

  it('survive an allowlist .dockerignore that excludes everything else (ZenML #5030)', async () => {
    const root = await tempRoot(['app.py', 'requirements.txt'], '*\n!app.py\n');
    const selection = await selectContextFiles({ root });
    const members = await readArchive(
      createContextArchive({
        selection,
        extraFiles: [
          { path: 'Dockerfile', content: 'FROM scratch\n' },
          { path: '.zenml_requirements.txt', content: new TextEncoder().encode('numpy\n') },
          { path: 'stowage/entrypoint.sh', content: '#!/bin/sh\n', mode: 0o755 },
        ],
      }),
    );
    // No `stowage/` directory entry: the builder creates missing parents itself.
    expect(members.map((m) => [m.header.name, m.header.mode])).toEqual([
      ['.zenml_requirements.txt', 0o644],
      ['Dockerfile', 0o644],
      ['app.py', 0o644],
      ['stowage/entrypoint.sh', 0o755],
    ]);
  });

  it('make an archive on their own when there is no selection', async () => {
    const members = await readArchive(createContextArchive({ selection: null, extraFiles: [{ path: 'b', content: '' }, { path: 'a', content: 'x' }] }));
    expect(members.map((m) => m.header.name)).toEqual(['a', 'b']);
  });

  it.each(['../escape', '/etc/passwd', './Dockerfile', 'dir/', 'a//b', ''])('refuses the unclean path %j', (path) => {
    expect(() => createContextArchive({ selection: null, extraFiles: [{ path, content: 'x' }] })).toThrow(StowageError);
  });

  it('refuse to replace a directory, to sit below a file, or to appear twice', async () => {
    const root = await tempRoot(['src/app.py', 'notes.txt']);
    const selection = await selectContextFiles({ root });
    const attempt = (path: string, twice = false) => () =>
      createContextArchive({ selection, extraFiles: twice ? [{ path, content: '1' }, { path, content: '2' }] : [{ path, content: 'x' }] });
    expect(attempt('src')).toThrow(/would replace a directory/);
    expect(attempt('notes.txt/inner')).toThrow(/below the file notes.txt/);
    expect(attempt('Dockerfile', true)).toThrow(/given twice/);
  });
});

describe('reading files while streaming', () => {
  it('errors the stream with a StowageError naming a file that vanished after selection', async () => {
    const root = await tempRoot(['a.txt', 'gone.txt']);
    const selection = await selectContextFiles({ root });
    await rm(join(root, 'gone.txt'));
    const error = await streamError({ selection });
    expect(error.code).toBe('CONTEXT_INVALID');
    expect(error.file).toBe(join(root, 'gone.txt'));
    expect(error.message).toContain(join(root, 'gone.txt'));
  });

  it('errors the stream when a file changed size after selection', async () => {
    const root = await tempRoot(['grows.txt']);
    const selection = await selectContextFiles({ root });
    await appendFile(join(root, 'grows.txt'), 'more');
    const error = await streamError({ selection });
    expect(error.message).toContain('changed while the build context was being written');
    expect(error.file).toBe(join(root, 'grows.txt'));
  });

  it.each([
    ['small', 'v1\n', 'v2\n'],
    ['large (streamed)', `${'a'.repeat(300_000)}1`, `${'a'.repeat(300_000)}2`],
  ])('with expected digests, a %s file edited to the same size since it was digested fails the archive', async (_kind, before, after) => {
    const root = await tempRoot([]);
    await writeFile(join(root, 'mod.py'), before);
    const selection = await selectContextFiles({ root });
    const digest = createHash('sha256').update(before).digest('hex');
    const expectedDigest = (entry: { path: string }) => (entry.path === 'mod.py' ? digest : undefined);
    await expect(archiveOf({ selection, expectedDigest })).resolves.toBeInstanceOf(Buffer);
    await writeFile(join(root, 'mod.py'), after);
    const error = await streamError({ selection, expectedDigest });
    expect(error.code).toBe('CONTEXT_INVALID');
    expect(error.message).toBe(`${join(root, 'mod.py')} changed while the build context was being written`);
  });
});
