import { PassThrough, type Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { ZipFile } from 'yazl';

/**
 * ZIP has no time before 1980 and stores local time: midnight, 1 January 1980 in the local time
 * zone is written as the same DOS timestamp everywhere, so the same context gives the same bytes.
 */
function zipEpoch(): Date {
  return new Date(1980, 0, 1);
}

/**
 * A deterministic ZIP of a deterministic context tar (CodeBuild reads its S3 sources as ZIPs):
 * entries in the tar's order, with its modes, one fixed timestamp; symlinks stay symlinks.
 */
export function createContextZip(tar: Readable): Readable {
  const zip = new ZipFile();
  const out = new PassThrough();
  zip.outputStream.on('error', (error) => out.destroy(error));
  zip.outputStream.pipe(out);
  const entries = extract();
  entries.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      addEntry(zip, header, Buffer.concat(chunks));
      next();
    });
    stream.on('error', (error) => out.destroy(error));
  });
  entries.on('finish', () => zip.end());
  entries.on('error', (error) => out.destroy(error));
  tar.on('error', (error) => out.destroy(error));
  tar.pipe(entries);
  return out;
}

interface TarHeader {
  name: string;
  type?: string | null;
  mode?: number;
  linkname?: string | null;
}

function addEntry(zip: ZipFile, header: TarHeader, content: Buffer): void {
  const name = header.name.replace(/^\.\//, '');
  // Read now, not at module load: the local time zone is what yazl converts with.
  const mtime = zipEpoch();
  const mode = header.mode ?? 0o644;
  if (header.type === 'directory') zip.addEmptyDirectory(name.replace(/\/?$/, '/'), { mtime, forceDosTimestamp: true, mode: 0o40000 | mode });
  // A symlink in a ZIP is an entry whose content is its target, with S_IFLNK in the mode.
  else if (header.type === 'symlink') zip.addBuffer(Buffer.from(header.linkname ?? ''), name, { mtime, forceDosTimestamp: true, mode: 0o120000 | mode, compress: false });
  else zip.addBuffer(content, name, { mtime, forceDosTimestamp: true, mode: 0o100000 | mode, compress: true });
}
