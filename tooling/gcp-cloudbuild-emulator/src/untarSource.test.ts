import { mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { untarSource } from './untarSource.js';

async function tarGz(entries: (Partial<Header> & { name: string; body?: string })[]): Promise<Buffer> {
  const archive = pack();
  for (const { body, ...header } of entries) archive.entry(header, body ?? '');
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe('untarSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'untar-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('unpacks files keeping modes, folders, and links that stay inside', async () => {
    const archive = await tarGz([
      { name: './run.sh', mode: 0o755, body: 'echo hi' },
      { name: 'sub', type: 'directory', mode: 0o755 },
      { name: 'sub/link', type: 'symlink', linkname: '../run.sh' },
      { name: 'hard', type: 'link', linkname: 'run.sh' },
    ]);
    expect(await untarSource(archive, dir)).toBe(4);
    expect((await stat(join(dir, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(dir, 'sub/link'))).toBe('../run.sh');
    expect(await readFile(join(dir, 'hard'), 'utf8')).toBe('echo hi');
  });

  it.each([
    ['a path with ..', [{ name: '../out.txt', body: 'x' }], 'escapes the workspace'],
    ['an absolute path', [{ name: '/etc/out.txt', body: 'x' }], 'escapes the workspace'],
    ['a symlink out of it', [{ name: 'l', type: 'symlink' as const, linkname: '../../etc/passwd' }], 'points out of the workspace'],
    ['an absolute symlink', [{ name: 'l', type: 'symlink' as const, linkname: '/etc/passwd' }], 'points out of the workspace'],
    ['a hard link to outside', [{ name: 'h', type: 'link' as const, linkname: '../x' }], 'escapes the workspace'],
    ['a device', [{ name: 'd', type: 'character-device' as const }], 'which a build source may not contain'],
  ])('refuses %s', async (_name, entries, message) => {
    await expect(untarSource(await tarGz(entries), dir)).rejects.toThrow(message);
  });

  it('refuses bytes that are not gzip', async () => {
    await expect(untarSource(Buffer.from('PK\x03\x04 a zip'), dir)).rejects.toThrow();
  });
});
