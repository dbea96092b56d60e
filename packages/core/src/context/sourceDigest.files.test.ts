import { createHash } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { cachedSourceDigest } from './cachedSourceDigest.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('per-file digests of a source selection (what plan names when files change)', () => {
  it('gives each file its content sha256 and each link its target, from the same pass (cold and cached alike)', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const root = join(dir, 'src');
    await writeContextTree(root, ['main.py', 'lib/util.py', 'empty/'], { 'main.py': 'print(1)\n' });
    await symlink('main.py', join(root, 'link.py'));
    const selection = await selectContextFiles({ root });
    const cold = new Map<string, string>();
    const digest = await cachedSourceDigest(selection, join(dir, 'state'), Date.now() + 2000, cold);
    expect(Object.fromEntries(cold)).toEqual({ 'lib/util.py': sha('lib/util.py\n'), 'link.py': 'symlink:main.py', 'main.py': sha('print(1)\n') });
    const warm = new Map<string, string>();
    expect(await cachedSourceDigest(await selectContextFiles({ root }), join(dir, 'state'), Date.now() + 2000, warm)).toBe(digest);
    expect(warm).toEqual(cold);
    // Collecting them leaves the aggregate digest as it was.
    expect(await sourceDigest(selection)).toBe(digest);
  });
});
