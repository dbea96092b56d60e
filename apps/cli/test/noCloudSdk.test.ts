import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../../..');
const tracker = join(import.meta.dirname, 'fixtures/trackModules.mjs');
const HEAVY = /\/(dockerode|docker-modem|ssh2|@aws-sdk|@google-cloud|google-gax|@smithy)\//;

/** The module URLs Node resolved while running `args` (a real subprocess). */
function loadedModules(args: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'stowage-track-')), 'modules.txt');
  execFileSync(process.execPath, ['--conditions=@stowage/source', `--import=${tracker}`, ...args], {
    cwd: repo,
    env: { ...process.env, STOWAGE_TRACK_FILE: file },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const cli = join(repo, 'apps/cli/bin/stowage-dev.mjs');

describe('listing plugins and printing the schema load no SDK', () => {
  it('the tracker sees an SDK when one is loaded (control)', () => {
    const modules = loadedModules([join(import.meta.dirname, 'fixtures/importDockerode.mjs')]);
    expect(modules.some((m) => HEAVY.test(m))).toBe(true);
  });

  it.each([['plugins', 'list'], ['schema'], ['stack', 'describe']])('stowage %s', (...args: string[]) => {
    const modules = loadedModules([cli, ...args]);
    expect(modules.some((m) => m.includes('/plugins/image-builder-local/'))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});
