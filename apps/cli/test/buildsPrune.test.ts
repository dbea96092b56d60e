import { describe, expect, it } from 'vitest';
import { buildRecord, DAY, projectWith } from './buildsPrune.fixtures.js';
import { stowage } from './runInProcess.js';

const remaining = async (dir: string) => (JSON.parse((await stowage(dir, ['builds', 'list', '--json'])).stdout) as { id: string }[]).map((b) => b.id.slice(0, 8));
const pruned = (stdout: string) => (JSON.parse(stdout) as { pruned: { id: string }[] }).pruned.map((b) => b.id.slice(0, 8));

// train: 40, 10 and 1 days old; serve: 50 days old.
const BUILDS = () => [buildRecord(1, 'train', 40 * DAY), buildRecord(2, 'train', 10 * DAY), buildRecord(3, 'train', 1 * DAY), buildRecord(4, 'serve', 50 * DAY)];

describe('stowage builds prune', () => {
  it('--keep N keeps the newest N of each pipeline on each stack', async () => {
    const dir = await projectWith(BUILDS());
    const r = await stowage(dir, ['builds', 'prune', '--keep', '1', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(pruned(r.stdout)).toEqual(['00000002', '00000001']);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: false, kept: 2, images: [] });
    expect(await remaining(dir)).toEqual(['00000003', '00000004']);
  });

  it('--older-than prunes by age; with --keep, the newest N stay however old', async () => {
    const dir = await projectWith(BUILDS());
    const r = await stowage(dir, ['builds', 'prune', '--older-than', '30d', '--keep', '1', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Pruned 1 pipeline build; 3 kept\.\n {2}00000001-/);
    expect(await remaining(dir)).toEqual(['00000003', '00000002', '00000004']);
  });

  it('--dry-run lists what would go and deletes nothing (no confirmation needed)', async () => {
    const dir = await projectWith(BUILDS());
    const r = await stowage(dir, ['builds', 'prune', '--older-than', '2w', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Would prune 2 pipeline builds; 2 kept.');
    expect(await remaining(dir)).toHaveLength(4);
  });

  it('--remove-images --dry-run names only images the pruned builds built and no kept build uses', async () => {
    const dir = await projectWith([
      buildRecord(1, 'train', 40 * DAY, [{ name: 'stowage:old' }, { name: 'stowage:shared' }, { name: 'python:3.11-slim', action: 'use-parent' }]),
      buildRecord(2, 'train', 1 * DAY, [{ name: 'stowage:shared', action: 'reused' }]),
    ]);
    const r = await stowage(dir, ['builds', 'prune', '--keep', '1', '--remove-images', '--dry-run', '--json']);
    expect(JSON.parse(r.stdout).images).toEqual([{ image: 'stowage:old', removed: false, reason: 'dry run' }]);
  });

  it.each([
    [[], 'builds prune needs --older-than <duration> or --keep <n>'],
    [['--older-than', '30'], '--older-than 30: expected a number and a unit s, m, h, d or w, e.g. 30d'],
    [['--older-than', '3 days'], '--older-than 3 days: expected'],
    [['--keep', '-1'], '--keep -1: expected a whole number'],
    [['--keep', 'abc'], '--keep abc: expected a whole number'],
    [['--keep', '0'], 'refusing to prune without confirmation: stdin is not a terminal'],
    [['--keep', '1', '--bogus'], "unknown option '--bogus'"],
  ])('%j is bad input: exit 2, a clear message, nothing deleted', async (args, message) => {
    const dir = await projectWith(BUILDS());
    const r = await stowage(dir, ['builds', 'prune', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(await remaining(dir)).toHaveLength(4);
  });
});
