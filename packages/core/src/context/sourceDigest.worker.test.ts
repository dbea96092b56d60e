import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDigestCache } from './FileDigestCache.js';
import { Sha256Worker, WORKER_WORTHWHILE_BYTES } from './hashInWorker.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('sourceDigest with large files hashed beside the main thread', () => {
  it.skipIf(!Sha256Worker.available())('gives the digest of the same lines as the one-thread path, each file’s content sha256', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stowage-digest-worker-'));
    dirs.push(root);
    const contents: Record<string, Buffer> = {};
    // Enough uncached large bytes for the worker, interleaved in path order with small files.
    for (const [name, size] of [['a.bin', 12 << 20], ['b.py', 100], ['c.bin', 12 << 20], ['d.py', 7], ['e.bin', 12 << 20]] as const) {
      contents[name] = randomBytes(size);
      await writeFile(join(root, name), contents[name]!);
    }
    expect(3 * (12 << 20)).toBeGreaterThanOrEqual(WORKER_WORTHWHILE_BYTES);
    const selection = await selectContextFiles({ root });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const expected = createHash('sha256');
    for (const name of Object.keys(contents).sort()) expected.update(`${JSON.stringify([name, 'file', 0o644, sha(contents[name]!)])}\n`);
    const want = `sha256:${expected.digest('hex')}`;

    const files = new Map<string, string>();
    const stateDir = join(root, '.state');
    const cache = FileDigestCache.open(stateDir, root, null, Date.now() + 5000);
    expect(await sourceDigest(selection, { files, cache })).toBe(want);
    for (const [name, content] of Object.entries(contents)) expect(files.get(name)).toBe(sha(content));
    // What the worker hashed is remembered like the rest: the next digest reads nothing.
    await cache.save();
    const again = FileDigestCache.open(stateDir, root, null, Date.now() + 5000);
    expect(await sourceDigest(selection, { cache: again })).toBe(want);
  });
});
