import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import type { ContextArchiveOptions, ContextEntry, ContextSelection } from './ContextSelection.js';
import { createContextArchive } from './createContextArchive.js';

/** gzip level of code layers: what `docker push` uses (Go's default), and the same bytes every time. */
const GZIP_LEVEL = constants.Z_DEFAULT_COMPRESSION;

/** What identifies the compressor in the layer cache: another zlib may give other (equally valid) bytes. */
export const LAYER_COMPRESSOR = `gzip-${GZIP_LEVEL}-zlib-${process.versions.zlib}`;

export interface CodeLayerBlob {
  /** `sha256:` of the gzip blob. */
  digest: string;
  /** `sha256:` of the uncompressed tar (the config's diff id). */
  diffId: string;
  /** Bytes of the gzip blob. */
  size: number;
  /** Bytes of the tar. */
  tarSize: number;
}

export interface LayerArchive {
  selection: ContextSelection;
  /** Seconds since the epoch stamped on every entry. */
  mtime: number;
  owner: { uid: number; gid: number };
  /** The content sha256 each file was digested with: a file edited since fails the layer (ContextArchiveOptions.expectedDigest). */
  expectedDigest?: (entry: ContextEntry) => string | undefined;
}

/** The layer's gzip stream: the same bytes every time for the same files, owner and mtime. */
export function openCodeLayer(layer: LayerArchive): Readable {
  return createContextArchive(archiveOptions(layer)).pipe(createGzip({ level: GZIP_LEVEL }));
}

/**
 * Writes a layer's gzip blob to `file` (one read of its files), taking both digests on the way.
 * The file is what an upload then sends, so the files are not read twice.
 */
export async function writeCodeLayer(layer: LayerArchive, file: string, signal?: AbortSignal): Promise<CodeLayerBlob> {
  const tar = createHash('sha256');
  const gz = createHash('sha256');
  let tarSize = 0;
  let size = 0;
  const tee = (hash: ReturnType<typeof createHash>, count: (n: number) => void): Transform =>
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        count(chunk.byteLength);
        done(null, chunk);
      },
    });
  const archive = createContextArchive(archiveOptions(layer));
  await pipeline(
    archive,
    tee(tar, (n) => (tarSize += n)),
    createGzip({ level: GZIP_LEVEL }),
    tee(gz, (n) => (size += n)),
    createWriteStream(file, { mode: 0o600 }),
    { signal },
  );
  return { digest: `sha256:${gz.digest('hex')}`, diffId: `sha256:${tar.digest('hex')}`, size, tarSize };
}

function archiveOptions(layer: LayerArchive): ContextArchiveOptions {
  return { selection: layer.selection, mtime: layer.mtime, owner: layer.owner, expectedDigest: layer.expectedDigest };
}

/** The blob written by writeCodeLayer, to upload. */
export function readCodeLayer(file: string): Readable {
  return createReadStream(file);
}
