import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProcessRunner } from '../process/ProcessRunner.js';
import { GitCheckout, ignoresUntrackedFiles } from './GitCheckout.js';

/** A real repository with one commit, a remote, and a `pipelines/` subfolder. */
function repository(): { root: string; git: (...args: string[]) => string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'stowage-git-')));
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(join(root, 'pipelines', 'train.py'), 'print(1)\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  git('remote', 'add', 'origin', 'https://github.com/acme/pipelines.git');
  return { root, git };
}

describe('GitCheckout (real git)', () => {
  const checkout = new GitCheckout(new NodeProcessRunner());

  it('finds the root, commit, remotes and the subfolder of the source root', async () => {
    const { root, git } = repository();
    const info = await checkout.inspect(join(root, 'pipelines'), { ignoreUntracked: false });
    expect(info).toEqual({ root, commit: git('rev-parse', 'HEAD'), isDirty: false, remotes: ['https://github.com/acme/pipelines.git'], subdirectory: 'pipelines' });
  });

  it('counts a modified file as dirty; untracked files too unless told to ignore them', async () => {
    const { root } = repository();
    writeFileSync(join(root, 'pipelines', 'new.py'), 'x\n');
    expect((await checkout.inspect(root, { ignoreUntracked: false }))?.isDirty).toBe(true);
    expect((await checkout.inspect(root, { ignoreUntracked: true }))?.isDirty).toBe(false);
    writeFileSync(join(root, 'pipelines', 'train.py'), 'print(2)\n');
    expect((await checkout.inspect(root, { ignoreUntracked: true }))?.isDirty).toBe(true);
  });

  it('handles a detached HEAD, and says null outside a checkout or before the first commit', async () => {
    const { root, git } = repository();
    const commit = git('rev-parse', 'HEAD');
    git('checkout', '-q', '--detach', commit);
    expect((await checkout.inspect(root, { ignoreUntracked: false }))?.commit).toBe(commit);
    expect(await checkout.inspect(mkdtempSync(join(tmpdir(), 'stowage-nogit-')), { ignoreUntracked: false })).toBeNull();
    const empty = mkdtempSync(join(tmpdir(), 'stowage-empty-git-'));
    execFileSync('git', ['-C', empty, 'init', '-q']);
    expect(await checkout.inspect(empty, { ignoreUntracked: false })).toBeNull();
  });

  it.each([
    [{}, false],
    [{ STOWAGE_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES: 'true' }, true],
    [{ ZENML_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES: '1' }, true],
    [{ STOWAGE_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES: 'false', ZENML_CODE_REPOSITORY_IGNORE_UNTRACKED_FILES: 'true' }, false],
  ])('ignoring untracked files: %j → %s', (env, expected) => {
    expect(ignoresUntrackedFiles(env)).toBe(expected);
  });
});

describe("GitCheckout: Stowage's state folder", () => {
  it('an untracked .stowage/ (build records) does not make the checkout dirty when excluded', async () => {
    const { root } = repository();
    mkdirSync(join(root, 'pipelines', '.stowage', 'builds'), { recursive: true });
    writeFileSync(join(root, 'pipelines', '.stowage', 'builds', 'b.json'), '{}');
    const checkout = new GitCheckout(new NodeProcessRunner());
    expect((await checkout.inspect(join(root, 'pipelines'), { ignoreUntracked: false }))?.isDirty).toBe(true);
    expect((await checkout.inspect(join(root, 'pipelines'), { ignoreUntracked: false, exclude: [join(root, 'pipelines', '.stowage')] }))?.isDirty).toBe(false);
    writeFileSync(join(root, 'pipelines', 'other.py'), 'x\n');
    expect((await checkout.inspect(join(root, 'pipelines'), { ignoreUntracked: false, exclude: [join(root, 'pipelines', '.stowage')] }))?.isDirty).toBe(true);
  });
});

describe('GitCheckout: remotes as configured', () => {
  it('reports the configured URL even when an insteadOf rule rewrites it', async () => {
    const { root, git } = repository();
    git('config', 'url.http://127.0.0.1:9/.insteadOf', 'https://github.com/');
    expect(git('remote', '-v')).toContain('http://127.0.0.1:9/acme/pipelines.git');
    const info = await new GitCheckout(new NodeProcessRunner()).inspect(root, { ignoreUntracked: false });
    expect(info?.remotes).toEqual(['https://github.com/acme/pipelines.git']);
  });
});
