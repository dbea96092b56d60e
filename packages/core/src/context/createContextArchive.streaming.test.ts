import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './__fixtures__/contextTree.js';
import { createContextArchive } from './createContextArchive.js';
import { selectContextFiles } from './selectContextFiles.js';

const MIB = 1024 * 1024;
const BIG = 256 * MIB;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('streaming', () => {
  // A whole-file read (readFile) or writes that ignore back-pressure would pull the 256 MiB file
  // into Buffers within moments; reading only as fast as the consumer keeps a few chunks in memory.
  it('reads a large file only as fast as the archive is consumed', { timeout: 120_000 }, async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const handle = await open(join(dir, 'big.bin'), 'w');
    await handle.truncate(BIG); // sparse: cheap to create, still 256 MiB to read
    await handle.close();
    const selection = await selectContextFiles({ root: dir });

    const before = process.memoryUsage().arrayBuffers;
    const archive = createContextArchive({ selection });
    await sleep(750); // nobody reads yet
    const heldWhileIdle = process.memoryUsage().arrayBuffers - before;
    expect(heldWhileIdle).toBeLessThan(16 * MIB);

    let bytes = 0;
    for await (const chunk of archive as AsyncIterable<Buffer>) bytes += chunk.byteLength;
    // one header, the content (a multiple of 512), the two zero blocks that end a tar
    expect(bytes).toBe(512 + BIG + 1024);
  });

  it('stops quietly when the consumer gives up half way (a cancelled build)', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    const handle = await open(join(dir, 'big.bin'), 'w');
    await handle.truncate(64 * MIB);
    await handle.close();
    const archive = createContextArchive({ selection: await selectContextFiles({ root: dir }) });
    let bytes = 0;
    for await (const chunk of archive as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (bytes > MIB) break; // destroys the archive stream
    }
    await sleep(100);
    expect(archive.destroyed).toBe(true);
    expect(bytes).toBeLessThan(64 * MIB);
    // An unhandled error or rejection from the abandoned pack would fail this test file in vitest.
  });
});
