import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { pack as createTarPack, type Header, type Pack } from 'tar-stream';
import { StowageError, toStowageError } from '@stowage/plugin-api';
import { archiveMtime } from './archiveMtime.js';
import type { ContextArchiveOptions, ContextEntry, ExtraFile } from './ContextSelection.js';
import { planArchiveItems, type ArchiveItem } from './planArchiveItems.js';
import { normalisedMode } from './normalisedMode.js';
import { openContextFile } from './openContextFile.js';
import { smallFileContents } from './smallFileContents.js';

/**
 * The build context as an uncompressed tar stream: the selected entries plus the extra files, in
 * path order, with fixed owners, modes and mtime, so the same inputs always give the same bytes.
 * Files are streamed one at a time with back-pressure; a read failure errors the stream with a
 * StowageError naming the file.
 */
export function createContextArchive(opts: ContextArchiveOptions): Readable {
  const stamp: Stamp = { mtime: new Date(archiveMtime(opts.mtime) * 1000), uid: opts.owner?.uid ?? 0, gid: opts.owner?.gid ?? 0, expected: opts.expectedDigest };
  const items = planArchiveItems(opts.selection, opts.extraFiles ?? []);
  const pack = createTarPack();
  // tar-stream's pack is a streamx stream; dockerode and the AWS/GCP SDKs want a Node Readable.
  const output = new PassThrough();
  pack.pipe(output, () => undefined);
  writeItems(pack, items, stamp).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(asContextError(error)),
  );
  return output;
}

async function writeItems(pack: Pack, items: readonly ArchiveItem[], stamp: Stamp): Promise<void> {
  const selected = items.flatMap((i) => (i.kind === 'entry' ? [i.entry] : []));
  const contents = smallFileContents(selected)[Symbol.asyncIterator]();
  try {
    for (const item of items) {
      if (pack.destroyed) return;
      if (item.kind === 'extra') {
        await writeExtra(pack, item.file, stamp);
        continue;
      }
      const next = await contents.next();
      const content = next.done ? undefined : next.value[1];
      if (item.entry.type !== 'file') await voidEntry(pack, item.entry, stamp);
      else if (content) await smallFileEntry(pack, item.entry, content, stamp);
      else await writeFile(pack, item.entry, stamp);
    }
  } finally {
    await contents.return?.(undefined);
  }
}

function smallFileEntry(pack: Pack, entry: ContextEntry, content: Buffer, stamp: Stamp): Promise<void> {
  if (content.byteLength !== entry.size) throw changedWhileArchiving(entry);
  checkContent(entry, stamp, () => createHash('sha256').update(content).digest('hex'));
  const header = { ...baseHeader(entry.path, normalisedMode('file', entry.mode), stamp), type: 'file' as const, size: entry.size };
  return openEntry(pack, header, content).done;
}

type TarHeader = Partial<Header> & Pick<Header, 'name'>;
type TarSink = ReturnType<Pack['entry']>;

/** What every entry of one archive is stamped with: the fixed mtime and owner. */
interface Stamp {
  mtime: Date;
  uid: number;
  gid: number;
  /** The content sha256 (hex) a file must still have (ContextArchiveOptions.expectedDigest). */
  expected?: (entry: ContextEntry) => string | undefined;
}

/** A file whose bytes are not those its digest was taken of (edited since, same size) is refused. */
function checkContent(entry: ContextEntry, stamp: Stamp, sha256: () => string): void {
  const expected = stamp.expected?.(entry);
  if (expected !== undefined && sha256() !== expected) throw changedWhileArchiving(entry);
}

function baseHeader(name: string, mode: number, stamp: Stamp): TarHeader {
  return { name, mode, mtime: stamp.mtime, uid: stamp.uid, gid: stamp.gid, uname: '', gname: '' };
}

/** Adds an entry and returns its sink with a promise settled when tar-stream is done with it. */
function openEntry(pack: Pack, header: TarHeader, content?: Buffer): { sink: TarSink; done: Promise<void> } {
  let sink: TarSink | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
    sink = content === undefined ? pack.entry(header, callback) : pack.entry(header, content, callback);
  });
  // Failures reach the caller through `done`; without these, streamx would also throw them as
  // unhandled 'error' events and unhandled rejections.
  done.catch(() => undefined);
  (sink as TarSink).on('error', () => undefined);
  return { sink: sink as TarSink, done };
}

function voidEntry(pack: Pack, entry: ContextEntry, stamp: Stamp): Promise<void> {
  // Directory names end in `/`, as in Docker's own context tars (tar-stream does not add it).
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const header = { ...baseHeader(name, normalisedMode(entry.type, entry.mode), stamp), type: entry.type };
  if (entry.type === 'symlink') header.linkname = entry.linkTarget ?? '';
  return openEntry(pack, header).done;
}

async function writeExtra(pack: Pack, file: ExtraFile, stamp: Stamp): Promise<void> {
  const content = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
  const header = { ...baseHeader(file.path, (file.mode ?? 0o644) & 0o7777, stamp), type: 'file' as const };
  await openEntry(pack, header, content).done;
}

async function writeFile(pack: Pack, entry: ContextEntry, stamp: Stamp): Promise<void> {
  const header = { ...baseHeader(entry.path, normalisedMode('file', entry.mode), stamp), type: 'file' as const, size: entry.size };
  const { sink, done } = openEntry(pack, header);
  let written = 0;
  const hash = stamp.expected ? createHash('sha256') : undefined;
  let packFailure: unknown;
  const drained = (): Promise<unknown> =>
    Promise.race([once(sink, 'drain'), done]).catch((error: unknown) => {
      packFailure = error;
      throw error;
    });
  // On any failure the caller destroys the pack with our error, which also ends this entry.
  try {
    for await (const chunk of createReadStream('', { fd: openContextFile(entry) }) as AsyncIterable<Buffer>) {
      written += chunk.byteLength;
      if (written > entry.size) break;
      hash?.update(chunk);
      // Wait for the consumer before reading on: at most one chunk of each file is in memory.
      if (!sink.write(chunk)) await drained();
    }
  } catch (error) {
    if (packFailure !== undefined) throw packFailure;
    throw toStowageError(error, {
      code: 'CONTEXT_INVALID',
      file: entry.absolutePath,
      message: `Cannot read ${entry.absolutePath} while writing the build context`,
      hint: `make ${entry.path} readable, or add it to .dockerignore`,
    });
  }
  if (written !== entry.size) throw changedWhileArchiving(entry);
  if (hash) checkContent(entry, stamp, () => hash.digest('hex'));
  // streamx types demand an argument that its end() treats as optional.
  sink.end(undefined);
  await done;
}

function changedWhileArchiving(entry: ContextEntry): StowageError {
  return new StowageError(`${entry.absolutePath} changed while the build context was being written`, {
    code: 'CONTEXT_INVALID',
    file: entry.absolutePath,
    hint: 'stop whatever is writing to the build context folder and build again',
  });
}

function asContextError(error: unknown): StowageError {
  return toStowageError(error, { code: 'CONTEXT_INVALID', message: 'Writing the build context archive failed' });
}
