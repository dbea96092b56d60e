import type { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { StowageError, formatImageReference, manifestReferenceOf, type ImageRef } from '@stowage/plugin-api';
import { ImageFileSearch } from './ImageFileSearch.js';
import { isAttestation, parseImageDocument, platformName, type Descriptor, type ImageDocument } from './ImageManifest.js';
import type { RegistryApiClient, RequestOptions } from './RegistryApiClient.js';
import { registryFailure } from './registryFailure.js';

export interface ReadImageFilesOptions extends RequestOptions {
  /** For an index: the platform to read, `os/arch[/variant]` (e.g. `linux/amd64`); default: its first image. */
  platform?: string;
  /** The most bytes a file may have (default 1 MiB); a larger one is an error naming it. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** How each layer media type is unpacked; zstd is named so its error can say so. */
const UNPACK: Readonly<Record<string, 'gzip' | 'tar' | 'zstd'>> = {
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar': 'tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'tar',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
};

/**
 * Reads a few files (`etc/passwd`, `etc/group`) of an image's file system in the registry without
 * pulling it: layers are streamed from the top down (gunzip + tar), whiteouts hide lower copies,
 * and reading stops as soon as every path is settled. Returns path → contents for the files found.
 * A layer read to its end is checked against its digest; one left early, by design, is not.
 */
export async function readImageFiles(client: RegistryApiClient, image: ImageRef, paths: readonly string[], options: ReadImageFilesOptions = {}): Promise<Map<string, Buffer>> {
  const search = new ImageFileSearch(paths);
  const where = `could not read files of ${formatImageReference(image)}`;
  const manifest = await platformManifest(client, image, options, where);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const layer of [...manifest.json.layers].reverse()) {
    if (search.done) break;
    await searchLayer(client, image.repository, layer, search, { ...options, maxFileBytes, where: `${where}: layer ${layer.digest}` });
    search.endLayer();
  }
  return search.found;
}

async function getDocument(client: RegistryApiClient, repository: string, reference: string, where: string, signal: AbortSignal | undefined): Promise<ImageDocument> {
  const manifest = await client.getManifest(repository, reference, { signal });
  if (!manifest) throw registryFailure(`${where}: the registry has no manifest ${repository}:${reference}`, { hint: 'check the image name, or push it first' });
  return parseImageDocument(manifest, where);
}

/** The image manifest to read: the one named, or the platform asked of an index (default: its first image). */
async function platformManifest(client: RegistryApiClient, image: ImageRef, options: ReadImageFilesOptions, where: string) {
  const document = await getDocument(client, image.repository, manifestReferenceOf(image), where, options.signal);
  if (document.kind === 'image') return document;
  const images = document.json.manifests.filter((d) => !isAttestation(d));
  const chosen = options.platform ? images.find((d) => matchesPlatform(d, options.platform!)) : images[0];
  if (!chosen) {
    const listed = images.map(platformName).join(', ') || 'none';
    throw new StowageError(`${where}: the index has no ${options.platform ?? 'platform'} image (it has: ${listed})`, { code: 'REGISTRY_FAILED', hint: 'ask for one of the platforms it has' });
  }
  const platform = await getDocument(client, image.repository, chosen.digest, where, options.signal);
  if (platform.kind !== 'image') throw registryFailure(`${where}: the index lists another index (${chosen.digest}), not an image`);
  return platform;
}

/** `linux/arm64` matches `linux/arm64/v8` too; a variant asked for must be the descriptor's. */
function matchesPlatform(descriptor: Descriptor, platform: string): boolean {
  const [os, architecture, variant] = platform.split('/');
  const p = descriptor.platform;
  return p !== undefined && p.os === os && p.architecture === architecture && (variant === undefined || p.variant === variant);
}

async function searchLayer(
  client: RegistryApiClient,
  repository: string,
  layer: Descriptor,
  search: ImageFileSearch,
  options: { signal?: AbortSignal; maxFileBytes: number; where: string },
): Promise<void> {
  const unpack = UNPACK[layer.mediaType];
  if (unpack !== 'gzip' && unpack !== 'tar') {
    const why = unpack === 'zstd' ? 'is zstd-compressed; only gzip and uncompressed layers can be read' : `has the media type ${layer.mediaType}, which is no tar layer`;
    throw registryFailure(`${options.where} ${why}`, { hint: 'read the files from an image whose layers are gzip-compressed tars' });
  }
  const blob = await client.getBlob(repository, layer.digest, { maxBytes: layer.size, signal: options.signal });
  if (!blob) throw registryFailure(`${options.where} is missing from ${repository}`);
  const gunzip = unpack === 'gzip' ? createGunzip() : undefined;
  const entries = tarExtract();
  const broken = (error: unknown) => entries.destroy(StowageError.isInstance(error) ? error : unreadable(error, options.where));
  for (const stream of [blob, gunzip]) stream?.on('error', broken);
  (gunzip ? blob.pipe(gunzip) : blob).pipe(entries);
  try {
    for await (const entry of entries) {
      const path = search.visit(entry.header, options.where);
      if (path === undefined) entry.resume();
      else search.settle(path, await readEntry(entry, path, options));
      if (search.done) break;
    }
  } catch (error) {
    throw options.signal?.aborted ? options.signal.reason : StowageError.isInstance(error) ? error : unreadable(error, options.where);
  } finally {
    for (const stream of [gunzip, blob] as (Transform | Readable | undefined)[]) stream?.destroy();
  }
}

/** A tar entry of tar-stream: its header and its contents as chunks. */
type TarEntry = AsyncIterable<unknown> & { header: { size: number } };

async function readEntry(entry: TarEntry, path: string, options: { maxFileBytes: number; where: string }): Promise<Buffer> {
  const size = entry.header.size;
  if (size > options.maxFileBytes) {
    throw registryFailure(`${options.where}: ${path} has ${size} bytes, more than the ${options.maxFileBytes} that may be read`, { hint: 'raise maxFileBytes, or read a smaller file' });
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of entry) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

function unreadable(error: unknown, where: string): StowageError {
  return registryFailure(`${where} is not a readable tar: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
