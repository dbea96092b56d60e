import { mkdtempSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { LocalArtifactStore } from './LocalArtifactStore.js';

// Tests run as root in CI containers, where permission bits never deny anything: fake the EACCES
// that stat/open/mkdir/unlink/readdir give for anything under a `locked` folder.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const denied = (path: unknown) => `${String(path)}${sep}`.includes(`${sep}locked${sep}`);
  const eacces = (syscall: string, path: unknown) =>
    Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(path)}'`), { code: 'EACCES', errno: -13, syscall, path: String(path) });
  const guard =
    <A extends unknown[], R>(syscall: string, real: (path: any, ...rest: A) => Promise<R>) =>
    (path: unknown, ...rest: A): Promise<R> =>
      denied(path) ? Promise.reject(eacces(syscall, path)) : real(path, ...rest);
  return {
    ...actual,
    stat: guard('stat', actual.stat),
    open: guard('open', actual.open),
    mkdir: guard('mkdir', actual.mkdir),
    unlink: guard('unlink', actual.unlink),
    readdir: guard('readdir', actual.readdir),
  };
});

describe('LocalArtifactStore on EACCES', () => {
  const store = () => new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'stowage-store-')));
  const permissionError = (message: RegExp) => ({
    code: 'ARTIFACT_STORE_FAILED',
    message: expect.stringMatching(message),
    hint: expect.stringContaining('check the permissions of'),
  });

  it('exists() throws a clear error instead of saying "absent"', async () => {
    await expect(store().exists('locked/a.tar')).rejects.toMatchObject(permissionError(/^could not check whether locked\/a.tar exists .*EACCES/));
  });

  it('get() throws the permission error, not "does not exist"', async () => {
    await expect(store().get('locked/a.tar')).rejects.toMatchObject(permissionError(/^could not read locked\/a.tar from .*EACCES/));
  });

  it('put() destroys the stream when the folder cannot be made', async () => {
    const data = Readable.from(['never read']);
    await expect(store().put('locked/a.tar', data)).rejects.toMatchObject(permissionError(/^could not write locked\/a.tar to .*EACCES/));
    expect(data.destroyed).toBe(true);
  });

  it('delete() reports the permission error instead of pretending the artifact is gone', async () => {
    await expect(store().delete('locked/a.tar')).rejects.toMatchObject(permissionError(/^could not delete locked\/a.tar from .*EACCES/));
  });

  it('list() reports the permission error instead of an empty list', async () => {
    await expect(store().list('locked/')).rejects.toMatchObject(permissionError(/^could not list "locked\/" in .*EACCES/));
  });
});
