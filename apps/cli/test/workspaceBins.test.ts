/**
 * `pnpm install` on a fresh clone links every workspace package's bins; a bin pointing at a build
 * output (gitignored, absent on a fresh clone) makes it warn "Failed to create bin". Each bin
 * target must be a file in the repository: on disk and not ignored by git.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const manifests = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'package.json', '*/package.json'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.includes('node_modules/'));

function binsOf(file: string): string[] {
  const { bin, name } = JSON.parse(readFileSync(join(root, file), 'utf8')) as { bin?: string | Record<string, string>; name?: string };
  const targets = typeof bin === 'string' ? [bin] : Object.values(bin ?? {});
  return targets.map((t) => join(file, '..', t)).filter(() => name !== undefined);
}

describe('workspace bins exist before anything is built', () => {
  it('finds the packages that declare bins (the CLI among them)', () => {
    expect(manifests.flatMap(binsOf)).toContain('apps/cli/bin/stowage.mjs');
  });

  it.each(manifests.flatMap(binsOf))('%s is a file in the repository, not a build output', (target) => {
    expect(existsSync(join(root, target))).toBe(true);
    const ignored = (() => {
      try {
        execFileSync('git', ['check-ignore', '-q', target], { cwd: root });
        return true;
      } catch {
        return false;
      }
    })();
    expect(ignored).toBe(false);
  });
});

describe('the committed launcher', () => {
  it('explains how to build when the bundle is missing (exit 2)', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'stowage-launcher-')), 'bin');
    mkdirSync(copy);
    copyFileSync(join(root, 'apps/cli/bin/stowage.mjs'), join(copy, 'stowage.mjs'));
    const r = spawnSync(process.execPath, [join(copy, 'stowage.mjs'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the stowage CLI is not built \(dist\/stowage\.mjs is missing\)\n  hint: run `pnpm --filter @stowage\/cli build`/);
  });
});
