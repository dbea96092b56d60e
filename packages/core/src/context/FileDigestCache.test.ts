import type * as fs from 'node:fs';
import { readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { cachedSourceDigest } from './cachedSourceDigest.js';
import { FILE_DIGEST_CACHE_DIR, fileDigestRecord, recordMatches } from './FileDigestCache.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

// Every open of a context file goes through fs.openSync: counting them proves what a run reads.
// Counting lstatSync calls proves what it stats.
const opened: string[] = [];
const lstatted: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const openSync = (...args: Parameters<typeof real.openSync>) => {
    opened.push(String(args[0]));
    return real.openSync(...args);
  };
  const lstatSync = ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
    lstatted.push(String(path));
    return real.lstatSync(path, options);
  }) as typeof real.lstatSync;
  return { ...real, openSync, lstatSync, default: { ...real, openSync, lstatSync } };
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
beforeEach(() => {
  opened.length = 0;
  lstatted.length = 0;
});

const TREE = ['src/app.py', 'src/pkg/util.py', 'README.md', 'data/'];
const PAST = new Date('2020-01-01T00:00:00Z');

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  cleanups.push(cleanup);
  return dir;
}

/** A source tree whose files were last modified long before any cache write (not racy). */
async function project(): Promise<{ root: string; state: string }> {
  const root = await tempDir();
  await writeContextTree(root, TREE);
  await writeFile(join(root, 'data', 'big.bin'), Buffer.alloc(600 * 1024, 7)); // streamed, not read whole
  await symlink('src/app.py', join(root, 'link'));
  for (const f of ['src/app.py', 'src/pkg/util.py', 'README.md', 'data/big.bin']) await utimes(join(root, f), PAST, PAST);
  return { root, state: await tempDir() };
}

// A run that starts two seconds from now: the files the test just wrote count as settled.
const run = async (root: string, state: string, now = Date.now() + 2000) => cachedSourceDigest(await selectContextFiles({ root }), state, now);
const uncached = async (root: string) => sourceDigest(await selectContextFiles({ root }));
const filesRead = (root: string) => opened.filter((p) => p.startsWith(`${root}/`)).map((p) => p.slice(root.length + 1)).sort();
const cacheFiles = async (state: string) => readdir(join(state, FILE_DIGEST_CACHE_DIR)).catch(() => [] as string[]);
const tick = () => new Promise((r) => setTimeout(r, 30)); // past the kernel's timestamp tick

describe('cachedSourceDigest', () => {
  it('gives the uncached digest, and a second run over unchanged files stats them and reads none', async () => {
    const { root, state } = await project();
    const cold = await run(root, state);
    expect(filesRead(root)).toEqual(['README.md', 'data/big.bin', 'src/app.py', 'src/pkg/util.py']);
    expect(cold).toBe(await uncached(root));
    opened.length = 0;
    lstatted.length = 0;
    expect(await run(root, state)).toBe(cold);
    expect(filesRead(root)).toEqual([]);
    // One lstat per entry, by the walk: the cache compares the stats the walk kept.
    const statted = lstatted.filter((p) => p.startsWith(`${root}/`));
    expect(statted.filter((p) => p.endsWith('/src/app.py'))).toHaveLength(1);
    expect(new Set(statted).size).toBe(statted.length);
  });

  it('stats an entry again when the walk kept no stats for it, and still serves an unchanged file', async () => {
    const { root, state } = await project();
    const cold = await run(root, state);
    const selection = await selectContextFiles({ root });
    const bare = { ...selection, entries: selection.entries.map(({ stat: _stat, ...entry }) => entry) };
    opened.length = 0;
    lstatted.length = 0;
    expect(await cachedSourceDigest(bare, state, Date.now() + 2000)).toBe(cold);
    expect(filesRead(root)).toEqual([]);
    expect(lstatted).toContain(join(root, 'src/app.py'));
  });

  it('compares the stats the walk saw: an entry whose kept stats differ from the record is read again', async () => {
    const { root, state } = await project();
    const cold = await run(root, state);
    const selection = await selectContextFiles({ root });
    const shifted = {
      ...selection,
      entries: selection.entries.map((e) => (e.path === 'src/app.py' && e.stat ? { ...e, stat: { ...e.stat, ctimeNs: String(BigInt(e.stat.ctimeNs) + 1n) } } : e)),
    };
    opened.length = 0;
    expect(await cachedSourceDigest(shifted, state, Date.now() + 2000)).toBe(cold);
    expect(filesRead(root)).toEqual(['src/app.py']);
  });

  it.each<[string, (root: string) => Promise<void>]>([
    ['an edit of the same size with its mtime restored (ctime)', async (root) => {
      await tick();
      await writeFile(join(root, 'src/app.py'), 'src/APP.py\n');
      await utimes(join(root, 'src/app.py'), PAST, PAST);
    }],
    ['a file replaced by a link', async (root) => {
      await rm(join(root, 'src/app.py'));
      await symlink('../README.md', join(root, 'src/app.py'));
    }],
    ['a file replaced by another file of the same size and mtime (inode)', async (root) => {
      await writeFile(join(root, 'src/app.new'), 'src/APP.py\n');
      await utimes(join(root, 'src/app.new'), PAST, PAST);
      await rename(join(root, 'src/app.new'), join(root, 'src/app.py'));
    }],
  ])('never serves a stale digest after %s', async (_what, change) => {
    const { root, state } = await project();
    await run(root, state);
    await change(root);
    const after = await run(root, state);
    expect(after).toBe(await uncached(root));
    expect(after).not.toBe(await uncached((await project()).root));
  });

  it('re-reads a file modified in the same second as the cache was written (racy timestamp), until a later write', async () => {
    const { root, state } = await project();
    await writeFile(join(root, 'src/app.py'), 'src/APP.py\n');
    const first = await run(root, state);
    // Date the cache in the second of the edit, as a run writing it right after the edit would be.
    const [name] = await cacheFiles(state);
    const cacheFile = join(state, FILE_DIGEST_CACHE_DIR, name!);
    const edited = (await stat(join(root, 'src/app.py'))).mtime;
    await utimes(cacheFile, edited, edited);
    opened.length = 0;
    expect(await run(root, state)).toBe(first);
    expect(filesRead(root)).toEqual(['src/app.py']);
    // The cache written a second after the edit makes the record trustworthy again.
    const later = new Date(edited.getTime() + 2000);
    await utimes(cacheFile, later, later);
    opened.length = 0;
    expect(await run(root, state)).toBe(first);
    expect(filesRead(root)).toEqual([]);
  });

  it('does not record a file changed within a second before the run: the next run reads it again', async () => {
    const { root, state } = await project();
    await run(root, state);
    await writeFile(join(root, 'README.md'), 'README.MD\n'); // ctime and mtime: now
    const now = Date.now();
    const digest = await run(root, state, now);
    opened.length = 0;
    expect(await run(root, state, now)).toBe(digest);
    expect(filesRead(root)).toEqual(['README.md']);
  });

  it('never trusts a cache written for another checkout path', async () => {
    const a = await project();
    const b = await project();
    await run(a.root, a.state);
    // Put a's cache where b's would be: b must ignore it, as its root differs.
    const [aName] = await cacheFiles(a.state);
    await run(b.root, b.state);
    const [bName] = await cacheFiles(b.state);
    await writeFile(join(b.state, FILE_DIGEST_CACHE_DIR, bName!), await readFile(join(a.state, FILE_DIGEST_CACHE_DIR, aName!)));
    await writeFile(join(b.root, 'README.md'), 'changed in b\n');
    await utimes(join(b.root, 'README.md'), PAST, PAST);
    opened.length = 0;
    expect(await run(b.root, b.state)).toBe(await uncached(b.root));
    expect(filesRead(b.root)).toContain('README.md');
  });

  it('ignores a corrupt cache file and rewrites it; a deleted cache only costs a re-read', async () => {
    const { root, state } = await project();
    const digest = await run(root, state);
    const [name] = await cacheFiles(state);
    const file = join(state, FILE_DIGEST_CACHE_DIR, name!);
    for (const junk of ['{"version":1,', 'null', '{"version":1,"root":"x","files":{"a":[1]}}']) {
      await writeFile(file, junk);
      expect(await run(root, state)).toBe(digest);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, root });
    }
    await rm(join(state, 'cache'), { recursive: true });
    expect(await run(root, state)).toBe(digest);
    expect(await cacheFiles(state)).toEqual([name]);
  });

  it('survives concurrent runs: each writes a whole file atomically and leaves no temporary file', async () => {
    const { root, state } = await project();
    const expected = await uncached(root);
    const digests = await Promise.all(Array.from({ length: 6 }, () => run(root, state)));
    expect(new Set(digests)).toEqual(new Set([expected]));
    const names = await cacheFiles(state);
    expect(names).toHaveLength(1);
    expect(JSON.parse(await readFile(join(state, FILE_DIGEST_CACHE_DIR, names[0]!), 'utf8'))).toMatchObject({ root });
  });

  it('still digests when the cache cannot be written, and leaves nothing behind', async () => {
    const { root } = await project();
    const state = join(await tempDir(), 'state');
    await writeFile(state, 'a file where the state folder should be');
    expect(await run(root, state)).toBe(await uncached(root));
    expect((await stat(state)).isFile()).toBe(true);
    const parent = join(state, '..');
    expect((await readdir(parent)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('recordMatches', () => {
  const stats = { size: 11n, mtimeNs: 1_577_836_800_000_000_000n, ctimeNs: 1_700_000_000_123_456_789n, ino: 42n, dev: 2049n } as fs.BigIntStats;
  const record = fileDigestRecord(stats, 'a'.repeat(64));
  const racyFrom = 1_700_000_001_000_000_000n;

  it.each<[string, Partial<Record<keyof typeof stats, bigint>>]>([
    ['size', { size: 12n }],
    ['mtime', { mtimeNs: stats.mtimeNs + 1n }],
    ['ctime', { ctimeNs: stats.ctimeNs + 1n }],
    ['inode', { ino: 43n }],
    ['device', { dev: 2050n }],
  ])('rejects a record when the %s differs', (_field, change) => {
    expect(recordMatches(record, stats, racyFrom)).toBe(true);
    expect(recordMatches(record, { ...stats, ...change } as fs.BigIntStats, racyFrom)).toBe(false);
  });

  it('rejects a record whose mtime is not older than the second the cache was written in', () => {
    expect(recordMatches(record, stats, stats.mtimeNs)).toBe(false);
    expect(recordMatches(record, stats, stats.mtimeNs + 1n)).toBe(true);
  });
});
