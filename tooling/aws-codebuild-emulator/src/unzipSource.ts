import { chmod, mkdir, writeFile } from 'node:fs/promises';
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
    await writeFile(target, await readAll(await archive.openReadStreamPromise(entry)));
    const mode = (entry.externalFileAttributes >>> 16) & 0o7777;
    if (mode) await chmod(target, mode);
    files++;
  }
  return files;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
