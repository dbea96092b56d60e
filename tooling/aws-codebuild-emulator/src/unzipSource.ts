import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

// yauzl 3.4 iterates entries with `eachEntry()` (lazyEntries); its @types do not declare it yet.
type IterableZip = ZipFile & { eachEntry(): AsyncIterable<Entry> };

/**
 * Unpacks a source ZIP into `dir` as CodeBuild's DOWNLOAD_SOURCE does, keeping each entry's Unix
 * mode (the high 16 bits of the external attributes) so executables stay executable.
 */
export async function unzipSource(zip: Buffer, dir: string): Promise<number> {
  const archive = (await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true })) as IterableZip;
  let files = 0;
  for await (const entry of archive.eachEntry()) {
    const target = resolve(dir, entry.fileName);
    if (!target.startsWith(resolve(dir) + sep)) throw new Error(`ZIP entry ${entry.fileName} escapes the source folder`);
    if (entry.fileName.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const content = await readAll(await archive.openReadStreamPromise(entry));
    const type = (entry.externalFileAttributes >>> 16) & 0o170000;
    // A symlink entry holds its target; one that would point out of the source folder is refused.
    if (type === 0o120000) await linkWithin(dir, target, content.toString('utf8'));
    else {
      await writeFile(target, content);
      const mode = (entry.externalFileAttributes >>> 16) & 0o7777;
      if (mode) await chmod(target, mode);
    }
    files++;
  }
  return files;
}

async function linkWithin(dir: string, target: string, linkTarget: string): Promise<void> {
  const resolved = resolve(dirname(target), linkTarget);
  if (linkTarget.startsWith('/') || !resolved.startsWith(resolve(dir) + sep)) throw new Error(`ZIP symlink ${target} points out of the source folder`);
  await symlink(linkTarget, target);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
