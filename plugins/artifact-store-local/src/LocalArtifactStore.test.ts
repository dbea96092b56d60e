import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '@stowage/testing';
import { TOKENS } from '@stowage/core';
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
    await expect(store.put('x.txt', failing)).rejects.toThrow(/could not write x.txt/);
    expect(await text(await store.get('x.txt'))).toBe('old');
    expect(readdirSync(store.path)).toEqual(['x.txt']);
  });

  it.each(['../escape', '/abs/path', '', 'a/../../b'])('refuses the key %j', async (key) => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    await expect(store.put(key, 'x')).rejects.toThrow(/must be a relative path inside the store/);
  });

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
