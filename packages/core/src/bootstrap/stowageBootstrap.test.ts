import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarBytes, tarGzBytes, type TarEntry } from './__fixtures__/tarBytes.js';
import { BOOTSTRAP_PATH_IN_IMAGE, CODE_ENV, STOWAGE_BOOTSTRAP_PY } from './stowageBootstrap.js';

// The script runs under the real interpreter; STOWAGE_TEST_PYTHON picks another one (e.g. a pyenv 3.8).
const PYTHON = process.env.STOWAGE_TEST_PYTHON ?? 'python3';
const HAS_PYTHON = spawnSync(PYTHON, ['--version']).status === 0;
const SKIP = !HAS_PYTHON && !process.env.CI;
if (SKIP) {
  console.warn(`\n!!! ${PYTHON} not found: the stowage bootstrap tests are SKIPPED (they fail under CI) !!!\n`);
}

const TOKEN = 'tok-s3cret-value';
const files = new Map<string, Buffer>();

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A loopback server: /files/<name>, /private/<name> (needs the token), /redirect?to=<url>. */
interface ArchiveServer {
  base: string;
  hits: Hit[];
  server: Server;
}

function authorized(headers: IncomingHttpHeaders): boolean {
  return headers.authorization === `Bearer ${TOKEN}` || headers['private-token'] === TOKEN;
}

async function startServer(): Promise<ArchiveServer> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://loopback');
    hits.push({ path: url.pathname, headers: request.headers });
    const [, route, name = ''] = url.pathname.split('/');
    if (route === 'redirect') {
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    } else if (route === 'private' && !authorized(request.headers)) {
      response.writeHead(401).end('no');
    } else if ((route === 'files' || route === 'private') && files.has(name)) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(files.get(name));
    } else {
      response.writeHead(404).end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let script = '';
let scratch = '';
let serverA: ArchiveServer;
let serverB: ArchiveServer;

/** Runs the bootstrap with `env` only (plus PATH): no proxy or PYTHONPATH leaks in from this machine. */
function runBootstrap(env: Record<string, string>, command: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script, ...command], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh folder with an empty `outside/` (what a hostile archive aims at) and the code dir's path. */
function workspace(): { work: string; outside: string; codeDir: string } {
  const work = mkdtempSync(join(scratch, 'work-'));
  const outside = join(work, 'outside');
  mkdirSync(outside);
  return { work, outside, codeDir: join(work, 'app', 'code') };
}

function serve(name: string, bytes: Buffer): string {
  files.set(name, bytes);
  return `${serverA.base}/files/${name}`;
}

function expectOneLineFailure(outcome: Outcome, ...mentions: string[]): void {
  expect(outcome.code, outcome.stderr).toBe(1);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).toMatch(/^stowage-bootstrap: [^\n]+\n$/);
  for (const mention of mentions) expect(outcome.stderr).toContain(mention);
  expect(outcome.stderr).not.toContain(TOKEN);
}

/** After a failure: the code dir's parent, if made, holds nothing (no code dir, no staging); outside/ is empty. */
function expectNothingWritten(work: string): void {
  expect(readdirSync(work, { recursive: true }).filter((path) => path !== 'app')).toEqual(['outside']);
}

const PROBE = [
  'import os, sys',
  'print(os.getcwd())',
  'print(os.environ["PYTHONPATH"])',
  'print(sys.argv[1:])',
  'os.chdir("/")',
  'import train, alias, copy_of_train',
  'print(train.X, alias.X, copy_of_train.X)',
  'print(sorted(n for n in os.environ if n.startswith("STOWAGE_CODE_") or n == "CODE_TOKEN"))',
].join('; ');

const REPO: TarEntry[] = [
  { name: 'repo-abc123/', type: 'dir' },
  { name: 'repo-abc123/README.md', body: '# repo\n' },
  { name: 'repo-abc123/src/ml/train.py', body: 'X = 42\n' },
  { name: 'repo-abc123/src/ml/run.sh', body: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { name: 'repo-abc123/src/ml/alias.py', type: 'symlink', linkname: 'train.py' },
  { name: 'repo-abc123/src/ml/copy_of_train.py', type: 'hardlink', linkname: 'repo-abc123/src/ml/train.py' },
];

function codeEnv(url: string, codeDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [CODE_ENV.url]: url, [CODE_ENV.dir]: codeDir, [CODE_ENV.strip]: '1', ...extra };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'stowage-bootstrap-'));
  script = join(scratch, 'stowage_bootstrap.py');
  writeFileSync(script, STOWAGE_BOOTSTRAP_PY);
  [serverA, serverB] = await Promise.all([startServer(), startServer()]);
});

afterAll(async () => {
  await Promise.all([serverA, serverB].map((s) => s && new Promise((resolve) => s.server.close(resolve))));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('stowage bootstrap constants', () => {
  it('names every contract variable in the script, which starts with a shebang', () => {
    for (const name of Object.values(CODE_ENV)) expect(name).toMatch(/^STOWAGE_CODE_[A-Z0-9_]+$/);
    for (const suffix of Object.values(CODE_ENV).map((name) => name.replace('STOWAGE_CODE_', ''))) {
      expect(STOWAGE_BOOTSTRAP_PY).toContain(`'${suffix}'`);
    }
    expect(STOWAGE_BOOTSTRAP_PY.startsWith('#!/usr/bin/env python3\n')).toBe(true);
    expect(BOOTSTRAP_PATH_IN_IMAGE).toBe('/usr/local/lib/stowage/stowage_bootstrap.py');
  });
});

describe.skipIf(SKIP)('stowage bootstrap (real python3)', () => {
  it('unpacks with strip and subdir, chdirs there, puts it on PYTHONPATH and execs the command', async () => {
    const { work, codeDir } = workspace();
    const env = codeEnv(serve('repo.tar.gz', tarGzBytes(REPO)), codeDir, {
      [CODE_ENV.subdir]: 'src/ml',
      [CODE_ENV.authEnv]: 'CODE_TOKEN',
      CODE_TOKEN: 'tok-not-for-the-step',
      PYTHONPATH: '/existing/path',
    });
    const outcome = await runBootstrap(env, [PYTHON, '-c', PROBE, 'two words', '--flag']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const folder = join(codeDir, 'src/ml');
    expect(outcome.stdout.trim().split('\n')).toEqual([
      realpathSync(folder),
      `${folder}:/existing/path`,
      "['two words', '--flag']",
      '42 42 42',
      // The step never sees the download token or the code variables.
      '[]',
    ]);
    expect(statSync(join(folder, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(codeDir, 'README.md')).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(work, 'app'))).toEqual(['code']);
  });

  it('reads an uncompressed archive when STOWAGE_CODE_FORMAT=tar and checks a matching sha256', async () => {
    const bytes = tarBytes(REPO);
    const { codeDir } = workspace();
    const env = codeEnv(serve('repo.tar', bytes), codeDir, {
      [CODE_ENV.format]: 'tar',
      [CODE_ENV.sha256]: createHash('sha256').update(bytes).digest('hex').toUpperCase(),
      [CODE_ENV.subdir]: 'src/ml',
    });
    const outcome = await runBootstrap(env, [PYTHON, '-c', 'import train; print(train.X)']);
    expect(outcome).toEqual({ code: 0, stdout: '42\n', stderr: '' });
  });

  it('replaces a code dir left by an earlier run', async () => {
    const { codeDir } = workspace();
    const env = codeEnv(serve('repo.tar.gz', tarGzBytes(REPO)), codeDir);
    expect((await runBootstrap(env, ['true'])).code).toBe(0);
    writeFileSync(join(codeDir, 'stale.txt'), 'old');
    expect((await runBootstrap(env, ['ls'])).stdout.split('\n')).toEqual(['README.md', 'src', '']);
  });

  it('refuses an archive whose sha256 differs and leaves no code dir', async () => {
    const { work, codeDir } = workspace();
    const env = codeEnv(serve('repo.tar.gz', tarGzBytes(REPO)), codeDir, { [CODE_ENV.sha256]: 'ab'.repeat(32) });
    const outcome = await runBootstrap(env, ['true']);
    expectOneLineFailure(outcome, 'sha256', 'ab'.repeat(32), '/files/repo.tar.gz');
    expectNothingWritten(work);
  });

  it('names the status and the URL without its query on an HTTP error', async () => {
    const { work, codeDir } = workspace();
    const url = `${serverA.base}/files/missing.tar.gz?X-Amz-Signature=presigned-secret`;
    const outcome = await runBootstrap(codeEnv(url, codeDir), ['true']);
    expectOneLineFailure(outcome, 'HTTP 404', `${serverA.base}/files/missing.tar.gz?...`);
    expect(outcome.stderr).not.toContain('presigned-secret');
    expectNothingWritten(work);
  });

  describe('authentication', () => {
    const auth = { MY_TOKEN: TOKEN, [CODE_ENV.authEnv]: 'MY_TOKEN', [CODE_ENV.authPrefix]: 'Bearer ' };

    it('sends the header and keeps it on a same-origin redirect', async () => {
      const { codeDir } = workspace();
      files.set('private.tar.gz', tarGzBytes(REPO));
      const url = `${serverA.base}/redirect?to=${encodeURIComponent(`${serverA.base}/private/private.tar.gz`)}`;
      const outcome = await runBootstrap(codeEnv(url, codeDir, auth), ['true']);
      expect(outcome).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(serverA.hits.filter((hit) => hit.path === '/private/private.tar.gz').at(-1)?.headers.authorization).toBe(
        `Bearer ${TOKEN}`,
      );
    });

    it('sends a custom header without prefix', async () => {
      const { codeDir } = workspace();
      files.set('private.tar.gz', tarGzBytes(REPO));
      const env = { MY_TOKEN: TOKEN, [CODE_ENV.authEnv]: 'MY_TOKEN', [CODE_ENV.authHeader]: 'PRIVATE-TOKEN' };
      const outcome = await runBootstrap(codeEnv(`${serverA.base}/private/private.tar.gz`, codeDir, env), ['true']);
      expect(outcome).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('drops the header on a redirect to another port', async () => {
      const { codeDir } = workspace();
      files.set('public.tar.gz', tarGzBytes(REPO));
      const url = `${serverA.base}/redirect?to=${encodeURIComponent(`${serverB.base}/files/public.tar.gz`)}`;
      const outcome = await runBootstrap(codeEnv(url, codeDir, auth), ['true']);
      expect(outcome).toEqual({ code: 0, stdout: '', stderr: '' });
      const hit = serverB.hits.filter((h) => h.path === '/files/public.tar.gz').at(-1);
      expect(hit?.headers).toBeDefined();
      expect(hit?.headers.authorization).toBeUndefined();
      expect(serverA.hits.filter((h) => h.path === '/redirect').at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('fails with 401 when the other origin needs the header it no longer gets', async () => {
      const { work, codeDir } = workspace();
      const url = `${serverA.base}/redirect?to=${encodeURIComponent(`${serverB.base}/private/private.tar.gz`)}`;
      const outcome = await runBootstrap(codeEnv(url, codeDir, auth), ['true']);
      expectOneLineFailure(outcome, 'HTTP 401', `${serverB.base}/private/private.tar.gz`);
      expectNothingWritten(work);
    });

    it('never prints the token, even when it appears in the URL', async () => {
      const { codeDir } = workspace();
      const outcome = await runBootstrap(codeEnv(`${serverA.base}/files/${TOKEN}.tgz`, codeDir, auth), ['true']);
      expectOneLineFailure(outcome, 'HTTP 404', '/files/***.tgz');
    });

    it('names the token variable when it is not set', async () => {
      const { codeDir } = workspace();
      const env = codeEnv(`${serverA.base}/files/x`, codeDir, { [CODE_ENV.authEnv]: 'ABSENT_TOKEN' });
      expectOneLineFailure(await runBootstrap(env, ['true']), 'ABSENT_TOKEN');
    });
  });

  describe('usage errors', () => {
    it.each([
      ['no command', {}, [], 'no command given'],
      ['no URL', { [CODE_ENV.url]: '' }, ['true'], 'STOWAGE_CODE_URL is not set'],
      ['a file: URL', { [CODE_ENV.url]: 'file:///etc/passwd' }, ['true'], 'http(s) URL'],
      ['an unknown format', { [CODE_ENV.format]: 'zip' }, ['true'], 'STOWAGE_CODE_FORMAT'],
      ['a bad strip', { [CODE_ENV.strip]: '-1' }, ['true'], 'STOWAGE_CODE_STRIP'],
      ['a bad digest', { [CODE_ENV.sha256]: 'xyz' }, ['true'], 'STOWAGE_CODE_SHA256'],
      ['an escaping subdir', { [CODE_ENV.subdir]: 'src/../..' }, ['true'], 'STOWAGE_CODE_SUBDIR'],
      ['an absolute subdir', { [CODE_ENV.subdir]: '/etc' }, ['true'], 'STOWAGE_CODE_SUBDIR'],
      ['a subdir not in the archive', { [CODE_ENV.subdir]: 'nope' }, ['true'], "'nope' is not a folder"],
      ['a command not found', {}, ['no-such-command-xyz'], "cannot run 'no-such-command-xyz'"],
    ])('fails in one line on %s', async (_title, extra, command, message) => {
      const { work, codeDir } = workspace();
      const env = { ...codeEnv(serve('repo.tar.gz', tarGzBytes(REPO)), codeDir), ...extra };
      expectOneLineFailure(await runBootstrap(env, command), message);
      if (!command.includes('no-such-command-xyz')) expectNothingWritten(work);
    });

    it('fails in one line on bytes that are not an archive', async () => {
      const { work, codeDir } = workspace();
      const outcome = await runBootstrap(codeEnv(serve('junk.tar.gz', Buffer.from('junk')), codeDir), ['true']);
      expectOneLineFailure(outcome, 'cannot unpack the tar.gz archive');
      expectNothingWritten(work);
    });
  });

  describe('hostile archives', () => {
    const ok: TarEntry = { name: 'top/ok.py', body: 'X = 1\n' };
    const cases: Array<[string, (outside: string) => TarEntry[], string]> = [
      ['an absolute path', (outside) => [ok, { name: `${outside}/abs-pwned`, body: 'x' }], '/abs-pwned'],
      ['a .. path', () => [ok, { name: '../../../escape', body: 'x' }], "'../../../escape'"],
      [
        'a symlink pointing outside',
        () => [ok, { name: 'top/evil', type: 'symlink', linkname: '../../../../outside' }, { name: 'top/evil/pwned' }],
        "'top/evil'",
      ],
      [
        'a hardlink to /etc/passwd',
        () => [ok, { name: 'top/pw', type: 'hardlink', linkname: '/etc/passwd' }],
        "'top/pw'",
      ],
      [
        'a hardlink through ..',
        () => [ok, { name: 'top/pw', type: 'hardlink', linkname: 'top/../../etc/passwd' }],
        "'top/pw'",
      ],
      [
        'a hardlink to a path not in the archive',
        () => [ok, { name: 'top/h', type: 'hardlink', linkname: 'top/none' }],
        "'top/h'",
      ],
      ['a fifo', () => [ok, { name: 'top/pipe', type: 'fifo' }], "'top/pipe'"],
      ['a character device', () => [ok, { name: 'top/null', type: 'char' }], "'top/null'"],
      [
        'a write through a symlinked directory',
        (outside) => [ok, { name: 'top/link', type: 'symlink', linkname: outside }, { name: 'top/link/x', body: 'x' }],
        "'top/link'",
      ],
      [
        'a symlink chain that escapes',
        () => [
          { name: 'top/x', type: 'symlink', linkname: '.' },
          { name: 'top/q', type: 'symlink', linkname: 'x/x/../..' },
          { name: 'top/q/pwned', body: 'x' },
        ],
        "'top/q'",
      ],
      [
        'a write through a symlink that escapes only after later members',
        () => [
          { name: 'top/q', type: 'symlink', linkname: 'a/b/../..' },
          { name: 'top/a', type: 'symlink', linkname: '.' },
          { name: 'top/b', type: 'symlink', linkname: '.' },
          { name: 'top/q/pwned', body: 'x' },
        ],
        "'top/q/pwned'",
      ],
      [
        'a symlink that escapes only after later members',
        () => [
          { name: 'top/q', type: 'symlink', linkname: 'a/b/../..' },
          { name: 'top/a', type: 'symlink', linkname: '.' },
          { name: 'top/b', type: 'symlink', linkname: '.' },
        ],
        "'top/q'",
      ],
    ];

    it.each(cases)('refuses %s, naming the member, and writes nothing', async (_title, entries, member) => {
      const { work, outside, codeDir } = workspace();
      const url = serve(`hostile-${files.size}.tar.gz`, tarGzBytes(entries(outside)));
      const outcome = await runBootstrap(codeEnv(url, codeDir), ['true']);
      expectOneLineFailure(outcome, 'refused archive member', member);
      expectNothingWritten(work);
    });
  });
});
