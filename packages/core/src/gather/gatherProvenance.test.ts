import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProcessRunner } from '../process/ProcessRunner.js';
import { gatherProvenance, webUrlOf } from './gatherProvenance.js';

const DATE = '2025-01-02T03:04:05Z';

function checkout(remote?: string): { root: string; commit: string } {
  const root = mkdtempSync(join(tmpdir(), 'stowage-prov-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_AUTHOR_DATE: DATE, GIT_COMMITTER_DATE: DATE };
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { env, encoding: 'utf8' }).trim();
  git('init', '-q');
  writeFileSync(join(root, 'a.py'), 'x\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  if (remote) git('remote', 'add', 'origin', remote);
  return { root, commit: git('rev-parse', 'HEAD') };
}

describe('gatherProvenance (real git)', () => {
  const runner = new NodeProcessRunner();

  it("the commit, its repository's URL without the credential, and the commit time", async () => {
    const { root, commit } = checkout('https://bot:s3cret@github.com/acme/p.git');
    expect(await gatherProvenance(root, runner, {}, '1.0.0')).toEqual({ version: '1.0.0', revision: commit, source: 'https://github.com/acme/p', created: DATE });
  });

  it('SOURCE_DATE_EPOCH wins over the commit time; outside a checkout only what it gives', async () => {
    const { root } = checkout();
    expect((await gatherProvenance(root, runner, { SOURCE_DATE_EPOCH: '0' }, '1.0.0')).created).toBe('1970-01-01T00:00:00Z');
    const plain = mkdtempSync(join(tmpdir(), 'stowage-prov-plain-'));
    expect(await gatherProvenance(plain, runner, {}, '1.0.0')).toEqual({ version: '1.0.0' });
  });
});

describe('webUrlOf', () => {
  it.each([
    ['git@github.com:acme/p.git', 'https://github.com/acme/p'],
    ['ssh://git@gitlab.example.com:2222/g/p', 'https://gitlab.example.com/g/p'],
    ['http://user:tok@127.0.0.1:3000/acme/p.git', 'http://127.0.0.1:3000/acme/p'],
    ['/some/local/path', undefined],
  ])('%s → %s', (url, expected) => {
    expect(webUrlOf(url)).toBe(expected);
  });
});
