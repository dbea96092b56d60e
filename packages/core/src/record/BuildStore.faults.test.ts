import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { acquireLock } from './BuildLock.js';
import { BuildStore } from './BuildStore.js';

const CHECKSUM = `sha256:${'ab'.repeat(32)}`;
const project = () => mkdtempSync(join(tmpdir(), 'stowage-faults-'));

function record(store: BuildStore): PipelineBuild {
  return { id: store.newId(), pipeline: 'p', stack: { name: 'default', checksum: 'sha256:s' }, checksum: 'sha256:c', images: [], containsCode: false, isLocal: true, toolVersion: 't', pythonVersion: '3.11', created: new Date().toISOString(), durationSeconds: 1 };
}

/** The pid of a process that has exited (and so is gone). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('BuildStore: environment failures are explained, never "unexpected"', () => {
  it('save into a store whose folder is a file: BUILD_FAILED naming the path, errno and what to do', async () => {
    const root = project();
    writeFileSync(join(root, '.stowage'), '');
    const store = new BuildStore(join(root, '.stowage'));
    await expect(store.save(record(store), { afterBuild: true })).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      exitCode: 1,
      message: expect.stringMatching(/^cannot save the build record in .*: a part of that path is a file, not a folder \(ENOTDIR at .*\); the images were built, but nothing was recorded$/),
      hint: expect.stringContaining('.stowage/builds/'),
    });
  });

  it('listing a store whose folder is a file: the same kind of error, not a crash', async () => {
    const root = project();
    writeFileSync(join(root, '.stowage'), '');
    await expect(new BuildStore(join(root, '.stowage')).list()).rejects.toMatchObject({ code: 'BUILD_FAILED', message: expect.stringContaining('cannot read the build records') });
  });

  it('a save cancelled before its rename leaves neither record nor temp file', async () => {
    const dir = project();
    const store = new BuildStore(dir);
    await expect(store.save(record(store), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(readdirSync(join(dir, 'builds'))).toEqual([]);
  });
});

describe('BuildStore: temp files', () => {
  it('checkWritable sweeps our stale temp files (by name, older than minutes), leaves fresh and foreign ones, and its probe', async () => {
    const dir = project();
    const builds = join(dir, 'builds');
    mkdirSync(builds, { recursive: true });
    mkdirSync(join(dir, 'locks'));
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const old = [join(builds, `.b-1.123.${uuid}.tmp`), join(builds, `.probe.9.${uuid}.tmp`), join(dir, 'locks', `${'a'.repeat(64)}.lock.77.${uuid}.stale`)];
    const kept = [join(builds, `.b-2.123.${uuid}.tmp`), join(builds, 'notes.tmp')];
    for (const f of [...old, ...kept]) writeFileSync(f, 'x');
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    for (const f of [...old, kept[1]!]) utimesSync(f, tenMinutesAgo, tenMinutesAgo);
    await new BuildStore(dir).checkWritable();
    expect(readdirSync(builds).sort()).toEqual([`.b-2.123.${uuid}.tmp`, 'notes.tmp']);
    expect(readdirSync(join(dir, 'locks'))).toEqual([]);
  });
});

describe('BuildStore: builds delete under races', () => {
  it('two deletes of one build at once (each listed it first) both succeed', async () => {
    const dir = project();
    const a = new BuildStore(dir);
    const b = new BuildStore(dir);
    const build = record(a);
    await a.save(build);
    await Promise.all([a.list(), b.list()]);
    await Promise.all([a.delete(build.id), b.delete(build.id)]);
    expect(readdirSync(join(dir, 'builds'))).toEqual([]);
  });

  it('a build deleted before this process listed it is still "not found" (exit 2)', async () => {
    const dir = project();
    const store = new BuildStore(dir);
    await expect(store.delete('b-unknown')).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND', exitCode: 2 });
  });
});

describe('build locks (one per plan checksum)', () => {
  it('the second taker waits until the first releases', async () => {
    const dir = project();
    const store = new BuildStore(dir);
    const first = await store.lock(CHECKSUM);
    let second: { waited: boolean } | undefined;
    const pending = store.lock(CHECKSUM, { pollMs: 10 }).then((l) => (second = l));
    await new Promise((r) => setTimeout(r, 80));
    expect(second).toBeUndefined();
    await first.release();
    expect((await pending).waited).toBe(true);
  });

  it('a lock whose holder is gone (killed: its pid no longer runs) is taken over at once', async () => {
    const dir = project();
    const file = join(dir, 'locks', `${CHECKSUM.slice(7)}.lock`);
    mkdirSync(join(dir, 'locks'));
    writeFileSync(file, JSON.stringify({ pid: deadPid(), started: null, host: (await import('node:os')).hostname(), token: 't-dead', created: '' }));
    const lock = await new BuildStore(dir).lock(CHECKSUM, { pollMs: 10_000 });
    expect(lock.waited).toBe(false);
    await lock.release();
    expect(readdirSync(join(dir, 'locks'))).toEqual([]);
  });

  it('a reused pid is not taken for the holder: the start time must match too', async () => {
    const dir = project();
    const file = join(dir, 'locks', `${CHECKSUM.slice(7)}.lock`);
    mkdirSync(join(dir, 'locks'));
    writeFileSync(file, JSON.stringify({ pid: process.pid, started: '1', host: (await import('node:os')).hostname(), token: 't-old', created: '' }));
    const lock = await acquireLock(file, { pollMs: 10_000 });
    expect(lock.waited).toBe(process.platform !== 'linux'); // off Linux the start time cannot be read: the holder is assumed alive
    await lock.release();
  });

  it('a torn lock file (a writer killed mid-way) is taken over; a cancelled waiter is BUILD_CANCELLED', async () => {
    const dir = project();
    mkdirSync(join(dir, 'locks'));
    writeFileSync(join(dir, 'locks', `${CHECKSUM.slice(7)}.lock`), '{"pid":');
    const store = new BuildStore(dir);
    const held = await store.lock(CHECKSUM);
    await expect(store.lock(CHECKSUM, { signal: AbortSignal.timeout(50), pollMs: 10 })).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
    await held.release();
  });

  it('many takers at once: exactly one holds it at any time', async () => {
    const dir = project();
    let holders = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lock = await new BuildStore(dir).lock(CHECKSUM, { pollMs: 5 });
        most = Math.max(most, ++holders);
        await new Promise((r) => setTimeout(r, 5));
        holders--;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
  });
});
