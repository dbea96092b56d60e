import { gzipSync } from 'node:zlib';

/** One member of a hand-written tar archive; names and link targets are written as given, hostile or not. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char';
  body?: string;
  linkname?: string;
  mode?: number;
}

const TYPE_FLAGS = { file: '0', hardlink: '1', symlink: '2', char: '3', dir: '5', fifo: '6' } as const;
const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  if (Buffer.byteLength(value) > length) throw new Error(`tar field too long: ${value}`);
  header.write(value, offset, length, 'utf8');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

/** A ustar header block for `entry` with a body of `size` bytes. */
function header(entry: TarEntry, size: number): Buffer {
  const type = entry.type ?? 'file';
  const block = Buffer.alloc(BLOCK);
  field(block, 0, 100, entry.name);
  field(block, 100, 8, octal(entry.mode ?? (type === 'dir' ? 0o755 : 0o644), 8));
  field(block, 108, 8, octal(0, 8));
  field(block, 116, 8, octal(0, 8));
  field(block, 124, 12, octal(size, 12));
  field(block, 136, 12, octal(1_700_000_000, 12));
  field(block, 148, 8, '        ');
  field(block, 156, 1, TYPE_FLAGS[type]);
  field(block, 157, 100, entry.linkname ?? '');
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  field(block, 329, 8, octal(type === 'char' ? 1 : 0, 8));
  field(block, 337, 8, octal(type === 'char' ? 3 : 0, 8));
  const sum = block.reduce((total, byte) => total + byte, 0);
  field(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** An uncompressed tar archive of `entries`, in order. */
export function tarBytes(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.type === undefined || entry.type === 'file' ? (entry.body ?? '') : '');
    parts.push(header(entry, body.length), body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** The same archive, gzipped. */
export function tarGzBytes(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tarBytes(entries));
}
