import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '@stowage/testing';
import { StowageError, TOKENS } from '@stowage/core';
import plugin from './plugin.js';
import { LocalArtifactStore } from './LocalArtifactStore.js';

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('LocalArtifactStore', () => {
  it('puts strings, bytes and streams; gets them back; knows what exists', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    await store.put('code_uploads/a.tar', 'abc');
    await store.put('b.bin', new Uint8Array([1, 2, 3]));
    await store.put('nested/c.txt', Readable.from(['x', 'y', 'z']));
    expect(await text(await store.get('code_uploads/a.tar'))).toBe('abc');
    expect(readFileSync(join(store.path, 'b.bin'))).toEqual(Buffer.from([1, 2, 3]));
    expect(await text(await store.get('nested/c.txt'))).toBe('xyz');
    expect([await store.exists('b.bin'), await store.exists('nope')]).toEqual([true, false]);
    expect(store.url('b.bin')).toBe(`file://${join(store.path, 'b.bin')}`);
  });

  it('writes atomically: a failed stream leaves neither the target nor a temp file', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    await store.put('x.txt', 'old');
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('disk gone'));
      },
    });
    await expect(store.put('x.txt', failing)).rejects.toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      plugin: '@stowage/artifact-store-local',
      message: expect.stringMatching(/^could not write x.txt to the artifact store .*: disk gone$/),
    });
    expect(await text(await store.get('x.txt'))).toBe('old');
    expect(readdirSync(store.path)).toEqual(['x.txt']);
  });

  it.each(['../escape', '/abs/path', '', 'a/../../b', '.', './', 'a/..', 'a/b/../..', 'dir/', 'nul\0byte'])('refuses the key %j as USAGE', async (key) => {
    const parent = mkdtempSync(join(tmpdir(), 'stowage-store-'));
    const store = new LocalArtifactStore(join(parent, 'store'));
    mkdirSync(store.path);
    await expect(store.put(key, 'x')).rejects.toMatchObject({
      code: 'USAGE',
      plugin: '@stowage/artifact-store-local',
      message: expect.stringContaining('must be a relative path inside the store'),
    });
    // Nothing written, neither in the store nor next to it (`.` once put a temp file beside the store).
    expect(readdirSync(parent)).toEqual(['store']);
    expect(readdirSync(store.path)).toEqual([]);
    await expect(store.exists(key)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('consumes nothing and destroys a stream it cannot take (bad key)', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    const data = Readable.from(['never read']);
    await expect(store.put('../escape', data)).rejects.toMatchObject({ code: 'USAGE' });
    expect(data.destroyed).toBe(true);
  });

  it('destroys the stream and reports an I/O failure when the folder cannot be made', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    await store.put('file', 'a regular file');
    const data = Readable.from(['never read']);
    const error = await store.put('file/inside.tar', data).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error).toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      plugin: '@stowage/artifact-store-local',
      message: expect.stringContaining('could not write file/inside.tar to the artifact store'),
    });
    expect(data.destroyed).toBe(true);
    expect(readdirSync(store.path)).toEqual(['file']);
  });

  it('only regular files exist: folders and paths through files do not', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    mkdirSync(join(store.path, 'code_uploads'));
    writeFileSync(join(store.path, 'file'), 'x');
    symlinkSync(join(store.path, 'file'), join(store.path, 'link'));
    expect(await store.exists('code_uploads')).toBe(false);
    expect(await store.exists('file/below')).toBe(false);
    expect(await store.exists('file')).toBe(true);
    expect(await store.exists('link')).toBe(true);
    await expect(store.get('code_uploads')).rejects.toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      plugin: '@stowage/artifact-store-local',
      message: `artifact code_uploads does not exist in ${store.path}`,
    });
    await expect(store.get('nope')).rejects.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: expect.stringContaining('does not exist') });
  });

  it('throws instead of answering "absent" when it cannot look (a symlink loop)', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    symlinkSync(join(store.path, 'loop'), join(store.path, 'loop'));
    await expect(store.exists('loop')).rejects.toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      plugin: '@stowage/artifact-store-local',
      message: expect.stringMatching(/could not check whether loop exists in the artifact store .*ELOOP/),
    });
    await expect(store.get('loop')).rejects.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: expect.stringContaining('ELOOP') });
  });

  // EACCES is covered with a mocked fs (LocalArtifactStore.eacces.test.ts): CI runs as root,
  // which ignores permission bits, and CI must not skip tests.

  it('the flavor resolves its path against the config folder and is not reachable from containers', async () => {
    const t = await createTestStack({
      plugins: [{ packageName: plugin.name, plugin }],
      config: { stacks: { s: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'local', path: 'artifacts' } } }, active_stack: 's' },
    });
    const store = await t.opened.container.resolve(TOKENS.ArtifactStore).get();
    expect(store?.path).toBe(join(t.root, 'artifacts'));
    expect(t.opened.stack.snapshot.artifactStore).toEqual({ flavor: 'local', remote: false });
  });
});
