import { createHash } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveBytes } from './__fixtures__/readArchive.js';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { createContextArchive } from './createContextArchive.js';
import { digestContext } from './digestContext.js';
import { selectContextFiles } from './selectContextFiles.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function tempRoot(paths: readonly string[]): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  await writeContextTree(dir, paths);
  return dir;
}

describe('digestContext', () => {
  it('is the sha256 and length of the archive bytes', async () => {
    const root = await tempRoot(['a.txt', 'sub/b.txt']);
    const opts = { selection: await selectContextFiles({ root }), extraFiles: [{ path: 'Dockerfile', content: 'FROM scratch\n' }] };
    const bytes = await archiveBytes(createContextArchive(opts));
    expect(await digestContext(opts)).toEqual({
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      bytes: bytes.length,
    });
  });

  it('is stable across runs and disk mtimes, and follows content and the archive mtime', async () => {
    const root = await tempRoot(['a.txt', 'sub/b.txt']);
    const first = await digestContext({ selection: await selectContextFiles({ root }) });
    await utimes(join(root, 'a.txt'), new Date('1999-01-01'), new Date('1999-01-01'));
    await utimes(join(root, 'sub'), new Date('1999-01-01'), new Date('1999-01-01'));
    const touched = await digestContext({ selection: await selectContextFiles({ root }) });
    const laterMtime = await digestContext({ selection: await selectContextFiles({ root }), mtime: 1 });
    await writeFile(join(root, 'a.txt'), 'changed\n');
    const edited = await digestContext({ selection: await selectContextFiles({ root }) });
    expect(touched).toEqual(first);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(laterMtime.digest).not.toBe(first.digest);
    expect(edited.digest).not.toBe(first.digest);
  });
});
