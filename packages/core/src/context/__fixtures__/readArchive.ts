import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

export interface ArchiveMember {
  header: Header;
  content: Buffer;
}

/** Every member of a tar stream, in order, with its content. */
export async function readArchive(archive: Readable): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  const reader = extract();
  archive.on('error', (error) => reader.destroy(error));
  archive.pipe(reader as unknown as NodeJS.WritableStream);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    members.push({ header: entry.header, content: Buffer.concat(chunks) });
  }
  return members;
}

/** The whole stream as one buffer (for small archives only). */
export async function archiveBytes(archive: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
