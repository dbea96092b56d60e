import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { isPlugin, StowageError } from '@stowage/plugin-api';
import plugin, { localArtifactStoreFlavor } from './plugin.js';
import { LocalArtifactStore } from './LocalArtifactStore.js';

const newStore = () => new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));

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
      message: expect.stringContaining('must be a relative path inside the store'),
    });
    // Nothing written, neither in the store nor next to it (`.` once put a temp file beside the store).
    expect(readdirSync(parent)).toEqual(['store']);
    expect(readdirSync(store.path)).toEqual([]);
    await expect(store.exists(key)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(store.get(key)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(store.delete(key)).rejects.toMatchObject({ code: 'USAGE' });
    expect(() => store.locate(key)).toThrowError(expect.objectContaining({ code: 'USAGE' }));
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
      message: `artifact code_uploads does not exist in ${store.path}`,
    });
    await expect(store.get('nope')).rejects.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: expect.stringContaining('does not exist') });
  });

  it('throws instead of answering "absent" when it cannot look (a symlink loop)', async () => {
    const store = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
    symlinkSync(join(store.path, 'loop'), join(store.path, 'loop'));
    await expect(store.exists('loop')).rejects.toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      message: expect.stringMatching(/could not check whether loop exists in the artifact store .*ELOOP/),
    });
    await expect(store.get('loop')).rejects.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: expect.stringContaining('ELOOP') });
  });

  // EACCES is covered with a mocked fs (LocalArtifactStore.eacces.test.ts): CI runs as root,
  // which ignores permission bits, and CI must not skip tests.

  it('locates a key as a file URL and its absolute path, whether or not it exists yet', async () => {
    const store = newStore();
    expect(store.locate('code_uploads/a b.tar')).toEqual({
      uri: pathToFileURL(join(store.path, 'code_uploads', 'a b.tar')).href,
      scheme: 'file',
      path: join(store.path, 'code_uploads', 'a b.tar'),
    });
    expect(store.locate('code_uploads/a b.tar').uri).toMatch(/^file:\/\/\/.*\/code_uploads\/a%20b\.tar$/);
  });

  it('deletes an artifact; deleting one that is not there (or a folder) is fine', async () => {
    const store = newStore();
    await store.put('code_uploads/a.tar', 'a');
    await store.put('code_uploads/b.tar', 'b');
    await store.delete('code_uploads/a.tar');
    expect([await store.exists('code_uploads/a.tar'), await store.exists('code_uploads/b.tar')]).toEqual([false, true]);
    await expect(store.delete('code_uploads/a.tar')).resolves.toBeUndefined();
    await expect(store.delete('never/was.tar')).resolves.toBeUndefined();
    await expect(store.delete('code_uploads')).resolves.toBeUndefined();
    expect(await store.list('')).toEqual(['code_uploads/b.tar']);
  });

  it('lists keys under a prefix, sorted and /-separated, without folders or temp files of unfinished puts', async () => {
    const store = newStore();
    for (const key of ['code_uploads/b.tar', 'code_uploads/a.tar', 'code_uploads/deep/c.tar', 'codex.txt', 'other/x.bin']) await store.put(key, key);
    mkdirSync(join(store.path, 'empty'));
    writeFileSync(join(store.path, 'code_uploads', `z.tar.${process.pid}.0f8fad5b-d9cb-469f-a165-70867728950e.tmp`), 'half');
    expect(await store.list('')).toEqual(['code_uploads/a.tar', 'code_uploads/b.tar', 'code_uploads/deep/c.tar', 'codex.txt', 'other/x.bin']);
    expect(await store.list('code_uploads/')).toEqual(['code_uploads/a.tar', 'code_uploads/b.tar', 'code_uploads/deep/c.tar']);
    // A prefix is text, as in object stores: `code` matches `code_uploads/…` and `codex.txt`.
    expect(await store.list('code')).toEqual(['code_uploads/a.tar', 'code_uploads/b.tar', 'code_uploads/deep/c.tar', 'codex.txt']);
    expect(await store.list('code_uploads/a')).toEqual(['code_uploads/a.tar']);
    expect(await store.list('missing/')).toEqual([]);
  });

  it('lists links to files but never walks a linked folder (it may lead outside the store)', async () => {
    const store = newStore();
    const outside = mkdtempSync(join(tmpdir(), 'stowage-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'x');
    await store.put('file', 'x');
    symlinkSync(join(store.path, 'file'), join(store.path, 'link'));
    symlinkSync(outside, join(store.path, 'elsewhere'));
    expect(await store.list('')).toEqual(['file', 'link']);
  });

  it('lists nothing in a store whose folder does not exist yet', async () => {
    const store = new LocalArtifactStore(join(mkdtempSync(join(tmpdir(), 'stowage-store-')), 'not-yet'));
    expect(await store.list('')).toEqual([]);
  });

  it.each(['../', '/abs', 'a/../../', 'nul\0'])('refuses the list prefix %j as USAGE', async (prefix) => {
    await expect(newStore().list(prefix)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('must be a relative path inside the store') });
  });
});

describe('the local artifact store flavor', () => {
  it('is a plugin for plugin API 2 with one artifact-store flavor', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: '@stowage/artifact-store-local', apiVersion: 2, flavors: [localArtifactStoreFlavor] });
    expect(localArtifactStoreFlavor).toMatchObject({ kind: 'artifact-store', flavor: 'local' });
  });

  it('describes a file store at the absolute folder, resolved against the project, unreachable from containers', () => {
    const config = localArtifactStoreFlavor.config.parse({ path: 'artifacts' });
    expect(localArtifactStoreFlavor.describe(config, { projectRoot: '/work/my project' })).toEqual({
      scheme: 'file',
      root: 'file:///work/my%20project/artifacts',
      reachableFromContainers: false,
    });
    const absolute = localArtifactStoreFlavor.config.parse({ path: '/srv/store' });
    expect(localArtifactStoreFlavor.describe(absolute, { projectRoot: '/work' }).root).toBe('file:///srv/store');
    expect(localArtifactStoreFlavor.describe(localArtifactStoreFlavor.config.parse({}), { projectRoot: '/p' }).root).toBe('file:///p/.stowage/artifacts');
  });

  it('creates the store in the folder it describes', async () => {
    const projectRoot = mkdtempSync(join(tmpdir(), 'stowage-project-'));
    const config = localArtifactStoreFlavor.config.parse({ path: 'artifacts' });
    const ctx = { stackName: 's', componentKey: 'artifact_store', projectRoot, env: {}, secrets: { add() {} }, runner: { run: () => Promise.reject(new Error('no processes')) } };
    const store = await localArtifactStoreFlavor.create(config, ctx, {});
    await store.put('code_uploads/a.tar', 'a');
    expect(store.locate('code_uploads/a.tar').uri).toBe(`${localArtifactStoreFlavor.describe(config, { projectRoot }).root}/code_uploads/a.tar`);
    expect(readFileSync(join(projectRoot, 'artifacts', 'code_uploads', 'a.tar'), 'utf8')).toBe('a');
  });

  it('rejects unknown keys and an empty path', () => {
    expect(localArtifactStoreFlavor.config.safeParse({ pth: 'x' }).success).toBe(false);
    expect(localArtifactStoreFlavor.config.safeParse({ path: '' }).success).toBe(false);
  });
});
