import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from './__fixtures__/readArchive.js';
import { createContextArchive } from './createContextArchive.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

const SMALL = 'public!\n';
const LARGE = 'x'.repeat(300 * 1024);

/** A context whose `app/<name>` the walk sees, and a same-size secret outside the root. */
async function walkedContext(content: string) {
  const base = mkdtempSync(join(tmpdir(), 'stowage-race-'));
  const root = join(base, 'context');
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(join(root, 'app', 'data.txt'), content);
  const secret = join(base, 'secret.txt');
  writeFileSync(secret, content.replace(/./g, 'S'));
  const selection = await selectContextFiles({ root });
  return { root, secret, selection, target: join(root, 'app', 'data.txt') };
}

// The walk lstat()s a file; the archive reads it later. A file swapped in between must not be read.
describe('a context file replaced after the walk (symlink race)', () => {
  it.each([
    ['small', SMALL],
    ['large (streamed)', LARGE],
  ])('a %s file swapped for a link to a same-size file outside the root is refused, not archived', async (_, content) => {
    const { selection, secret, target } = await walkedContext(content);
    rmSync(target);
    symlinkSync(secret, target);
    await expect(readArchive(createContextArchive({ selection }))).rejects.toMatchObject({
      code: 'CONTEXT_INVALID',
      message: `${target} was replaced while the build context was being read (it is now a symbolic link)`,
    });
  });

  it('a folder on the path swapped for a link out of the root is caught by the inode check', async () => {
    const { root, selection, secret } = await walkedContext(SMALL);
    const outside = join(root, '..', 'outside');
    mkdirSync(outside);
    renameSync(secret, join(outside, 'data.txt'));
    rmSync(join(root, 'app'), { recursive: true });
    symlinkSync(outside, join(root, 'app'));
    await expect(readArchive(createContextArchive({ selection }))).rejects.toMatchObject({ code: 'CONTEXT_INVALID', message: expect.stringContaining('(it is now another file)') });
  });

  it('a file replaced by another regular file (rename over it) is refused', async () => {
    const { root, selection, target } = await walkedContext(SMALL);
    writeFileSync(join(root, 'other'), SMALL.toUpperCase());
    renameSync(join(root, 'other'), target);
    await expect(readArchive(createContextArchive({ selection }))).rejects.toMatchObject({ code: 'CONTEXT_INVALID' });
  });

  it('the source digest refuses it too', async () => {
    const { selection, secret, target } = await walkedContext(LARGE);
    rmSync(target);
    symlinkSync(secret, target);
    await expect(sourceDigest(selection)).rejects.toMatchObject({ code: 'CONTEXT_INVALID' });
  });

  it('an unchanged file is archived as before', async () => {
    const { selection } = await walkedContext(SMALL);
    const members = await readArchive(createContextArchive({ selection }));
    expect(members.find((m) => m.header.name === 'app/data.txt')?.content.toString()).toBe(SMALL);
  });
});
