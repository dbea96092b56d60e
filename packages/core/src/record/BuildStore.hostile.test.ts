import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineBuild } from '../model/PipelineBuild.js';
import { BuildStore } from './BuildStore.js';
import { pipelineBuild } from './__fixtures__/pipelineBuild.js';

const record = (id: string, created = '2026-11-01T10:00:00.000Z'): PipelineBuild => pipelineBuild({ id, created, containsCode: false });

async function storeWith(...ids: string[]): Promise<{ root: string; store: BuildStore; dir: string }> {
  const root = mkdtempSync(join(tmpdir(), 'stowage-store-'));
  const store = new BuildStore(join(root, '.stowage'));
  for (const id of ids) await store.save(record(id));
  return { root, store: new BuildStore(join(root, '.stowage')), dir: store.dir };
}

describe('BuildStore with odd files in .stowage/builds', () => {
  it('never opens a named pipe called *.json (listing used to hang on it); one warning names it', async () => {
    const { store, dir } = await storeWith('a1');
    execFileSync('mkfifo', [join(dir, 'x.json')]);
    const listing = await store.listing();
    expect(listing.builds.map((b) => b.id)).toEqual(['a1']);
    expect(listing.warnings).toEqual([
      { file: dir, message: '1 file is not a build record Stowage can read and was skipped: x.json (is a named pipe, not a regular file); move it out of the folder' },
    ]);
  });

  it('a record copied under another name is listed once, and the copy is reported', async () => {
    const { store, dir } = await storeWith('a1', 'b2');
    copyFileSync(join(dir, 'a1.json'), join(dir, 'copy.json'));
    writeFileSync(join(dir, 'torn.json'), '{"id": "t", ');
    const listing = await store.listing();
    expect(listing.builds.map((b) => b.id).sort()).toEqual(['a1', 'b2']);
    expect(listing.warnings).toHaveLength(1);
    expect(listing.warnings[0]!.message).toBe(
      '2 files are not a build record Stowage can read and were skipped: copy.json (holds build a1: a copy, or renamed by hand), torn.json (not valid JSON); move them out of the folder',
    );
  });

  it('a record renamed by hand is not listed, so delete never unlinks a name taken from its content', async () => {
    const { store, dir } = await storeWith('a1');
    renameSync(join(dir, 'a1.json'), join(dir, 'zz.json'));
    await expect(store.delete('a1')).rejects.toMatchObject({ code: 'BUILD_NOT_FOUND' });
    expect(readdirSync(dir)).toEqual(['zz.json']);
  });

  it('delete removes the file the build was listed from', async () => {
    const { store, dir } = await storeWith('a1', 'b2');
    await store.delete('a1');
    expect(readdirSync(dir)).toEqual(['b2.json']);
  });

  it('a record whose id climbs out of the store is never listed, so delete cannot reach the file it names', async () => {
    const { root, store, dir } = await storeWith('a1');
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'victim.json'), 'keep me');
    writeFileSync(join(dir, 'evil.json'), JSON.stringify({ ...record('a1'), id: '../../outside/victim' }));
    expect((await store.list()).map((b) => b.id)).toEqual(['a1']);
    await expect(store.delete('../../outside/victim')).rejects.toMatchObject({ code: 'USAGE', message: '"../../outside/victim" is not a build id' });
    expect(existsSync(join(root, 'outside', 'victim.json'))).toBe(true);
  });

  it('a symlink named like a record is not followed', async () => {
    const { root, store, dir } = await storeWith('a1');
    writeFileSync(join(root, 'elsewhere.json'), JSON.stringify(record('b2')));
    symlinkSync(join(root, 'elsewhere.json'), join(dir, 'b2.json'));
    const listing = await store.listing();
    expect(listing.builds.map((b) => b.id)).toEqual(['a1']);
    expect(listing.warnings[0]!.message).toContain('b2.json (is a symbolic link)');
  });

  it.each(['', '../x', 'a/b', '.hidden'])('get(%j) is a usage error, not a prefix of every id', async (id) => {
    const { store } = await storeWith('a1');
    await expect(store.get(id)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
