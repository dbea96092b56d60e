import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';

export interface ArchiveEntry {
  name: string;
  type: string;
  mode: number;
  content: string;
}

/** Reads a (small) tar stream into memory: for assertions on what a builder was sent. */
export async function readContextArchive(stream: Readable): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        entries.push({ name: header.name, type: header.type ?? 'file', mode: header.mode ?? 0, content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
      body.resume();
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(ex);
  await done;
  return entries;
}
