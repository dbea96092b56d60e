import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { makeTempDir, writeContextTree } from './__fixtures__/contextTree.js';
import { selectContextFiles } from './selectContextFiles.js';
import { sourceDigest } from './sourceDigest.js';

// Tests run as root here, and root can read a chmod 000 file; so the permission check is made to
// fail the way it fails for other users. The real-permission variant is in selectContextFiles.test.ts.
// The file is chmod 000: one its owner may read (owner-read bit set) is not asked about.
const denied = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vitest's documented form
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    accessSync: (path: string, mode?: number) => {
      if (denied.has(path)) throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: 'EACCES' });
      return actual.accessSync(path, mode);
    },
    openSync: (...args: Parameters<typeof actual.openSync>) => {
      if (denied.has(String(args[0]))) throw Object.assign(new Error(`EACCES: permission denied, open '${String(args[0])}'`), { code: 'EACCES' });
      return actual.openSync(...args);
    },
  };
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  denied.clear();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('a file the user cannot read', () => {
  it('is refused before anything is sent, with the file named and a way out', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeContextTree(dir, ['ok.txt', 'secret/key.pem']);
    await chmod(join(dir, 'secret', 'key.pem'), 0o000);
    denied.add(join(dir, 'secret', 'key.pem'));
    const error = await selectContextFiles({ root: dir }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONTEXT_INVALID', file: join(dir, 'secret', 'key.pem') });
    expect((error as StowageError).message).toContain(join(dir, 'secret', 'key.pem'));
    expect((error as StowageError).message).toContain('EACCES');
    expect((error as StowageError).hint).toBe(`make ${join(dir, 'secret', 'key.pem')} readable by this user, or add it to .dockerignore`);
  });

  it('that its owner may read by its mode but something else denies is refused where it is read, just as clearly', async () => {
    const { dir, cleanup } = await makeTempDir();
    cleanups.push(cleanup);
    await writeContextTree(dir, ['ok.txt', 'secret/key.pem']);
    const file = join(dir, 'secret', 'key.pem');
    denied.add(file);
    const selection = await selectContextFiles({ root: dir });
    const error = await sourceDigest(selection).catch((e: unknown) => e);
    expect(StowageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONTEXT_INVALID', file });
    expect((error as StowageError).message).toContain(file);
    expect((error as StowageError).message).toContain('EACCES');
    expect((error as StowageError).hint).toBe('make secret/key.pem readable, or add it to .dockerignore');
  });
});
