import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContextArchive } from './createContextArchive.js';
import { createContextZip } from './createContextZip.js';
import { selectContextFiles } from './selectContextFiles.js';

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

describe('createContextZip (what CodeBuild reads)', () => {
  it('is deterministic and unpacks (with the real unzip-capable python zipfile) to the same files, modes and links', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-zip-'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    writeFileSync(join(root, 'a.txt'), 'a\n');
    symlinkSync('a.txt', join(root, 'link'));
    const selection = await selectContextFiles({ root });
    const options = { selection, extraFiles: [{ path: 'Dockerfile', content: 'FROM python:3.11-slim\n' }] };
    const one = await bytes(createContextZip(createContextArchive(options)));
    const two = await bytes(createContextZip(createContextArchive(options)));
    expect(one.equals(two)).toBe(true);
    const zipFile = join(root, '..', `${root.split('/').at(-1)}.zip`);
    await writeFile(zipFile, one);
    const out = mkdtempSync(join(tmpdir(), 'stowage-unzip-'));
    // Python's zipfile keeps no modes or links itself: read them from the entries' external attributes.
    const script = `import zipfile,sys,os
z=zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    mode=i.external_attr>>16
    p=os.path.join(sys.argv[2],i.filename)
    if i.filename.endswith('/'): os.makedirs(p,exist_ok=True); continue
    data=z.read(i)
    if (mode & 0o170000)==0o120000: os.symlink(data.decode(),p); continue
    open(p,'wb').write(data); os.chmod(p,mode&0o7777)
print(sorted(i.filename for i in z.infolist()))`;
    const names = execFileSync('python3', ['-c', script, zipFile, out], { encoding: 'utf8' });
    expect(names.trim()).toBe("['Dockerfile', 'a.txt', 'bin/', 'bin/run.sh', 'link']");
    expect(readFileSync(join(out, 'Dockerfile'), 'utf8')).toBe('FROM python:3.11-slim\n');
    expect(statSync(join(out, 'bin', 'run.sh')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(out, 'link')).isSymbolicLink() && readlinkSync(join(out, 'link'))).toBe('a.txt');
  });
});

describe('createContextZip across time zones', () => {
  it('gives the same bytes whatever the local time zone (ZIP stores local time)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stowage-zip-tz-'));
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const options = { selection: await selectContextFiles({ root }), extraFiles: [] };
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = await bytes(createContextZip(createContextArchive(options)));
      process.env.TZ = 'Pacific/Kiritimati';
      const kiritimati = await bytes(createContextZip(createContextArchive(options)));
      expect(kiritimati.equals(utc)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
