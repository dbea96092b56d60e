/**
 * Hand-made tar.gz archives for the code e2e tests: a writer that puts any member name in the
 * header as given (`../escape`, `/abs`), which no well-behaved archiver would, and a reader of
 * member names (gunzip + docker.ts's tar reader).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { tarNames } from './docker.js';

export interface TarMember {
  /** Written verbatim into the ustar `name` field (at most 100 bytes). */
  name: string;
  content?: string;
  /** `0` file (default), `5` directory, `2` symlink to `linkname`. */
  type?: '0' | '2' | '5';
  linkname?: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(member: TarMember, size: number): Buffer {
  const block = Buffer.alloc(512);
  const type = member.type ?? '0';
  block.write(member.name, 0, 100, 'utf8');
  block.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1'); // uid
  block.write(octal(0, 8), 116, 'latin1'); // gid
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(0, 12), 136, 'latin1'); // mtime
  block.write('        ', 148, 'latin1'); // checksum field counts as spaces while summing
  block.write(type, 156, 'latin1');
  if (member.linkname) block.write(member.linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  const sum = block.reduce((n, b) => n + b, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** A gzipped ustar archive of `members`, in order. */
export function tarGz(members: readonly TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of members) {
    const body = Buffer.from(m.content ?? '', 'utf8');
    parts.push(header(m, m.type && m.type !== '0' ? 0 : body.length));
    if (!m.type || m.type === '0') parts.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** Member names of a tar.gz, in archive order. */
export function tarGzNames(archive: Buffer): string[] {
  return tarNames(gunzipSync(archive));
}
