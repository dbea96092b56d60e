import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProcessRunner } from '../process/ProcessRunner.js';
import { selectCodeArchiveFiles } from './selectCodeArchiveFiles.js';

function checkout(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'stowage-archive-')));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  git('init', '-q');
  mkdirSync(join(root, 'steps'));
  writeFileSync(join(root, 'steps', 'train.py'), 'print(1)\n');
  writeFileSync(join(root, '.gitignore'), '.venv/\n*.log\n');
  git('add', '.');
  git('commit', '-q', '-m', 'c');
  writeFileSync(join(root, 'new.py'), 'print(2)\n'); // untracked, not ignored: shipped
  writeFileSync(join(root, 'debug.log'), 'x\n'); // ignored
  mkdirSync(join(root, '.venv', 'bin'), { recursive: true });
  symlinkSync('/usr/bin/python3', join(root, '.venv', 'bin', 'python')); // ignored, and points outside
  mkdirSync(join(root, '.stowage', 'builds'), { recursive: true });
  writeFileSync(join(root, '.stowage', 'builds', 'b.json'), '{}');
  return root;
}

describe('selectCodeArchiveFiles (real git)', () => {
  it('ships what git would ship: tracked and untracked-not-ignored files; never .git/, ignored folders or .stowage/', async () => {
    const root = checkout();
    const selection = await selectCodeArchiveFiles(root, 'git', [join(root, '.stowage')], new NodeProcessRunner());
    expect(selection.entries.map((e) => e.path)).toEqual(['.gitignore', 'new.py', 'steps', 'steps/train.py']);
  });

  it('outside a checkout, the .dockerignore rules (and never .git/)', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'stowage-archive-plain-')));
    writeFileSync(join(root, 'a.py'), '1\n');
    writeFileSync(join(root, 'b.tmp'), '1\n');
    writeFileSync(join(root, '.dockerignore'), '*.tmp\n');
    const selection = await selectCodeArchiveFiles(root, 'dockerignore', [], new NodeProcessRunner());
    expect(selection.entries.map((e) => e.path)).toEqual(['.dockerignore', 'a.py']);
  });
});
