import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { ImageRef } from '@stowage/plugin-api';
import type { RegistryApiClient, RequestOptions } from '@stowage/oci';

/** The top layer is the dependency image's `RUN chown -R <user> /app`: tiny. Anything bigger is not read. */
const MAX_TOP_LAYER_BYTES = 64 * 1024 * 1024;

interface Descriptor {
  digest?: unknown;
  mediaType?: unknown;
  platform?: { os?: unknown };
  annotations?: Record<string, unknown>;
}

/**
 * The owner of `folder` (e.g. `app`) in an image's top layer, read from the registry without
 * pulling the image: for a dependency image built with `user`, that layer is its
 * `RUN chown -R <user> /app`, so the entry holds exactly the uid and gid chown resolved in that
 * image. Undefined when the top layer has no such entry (or is not a plain or gzip tar): then the
 * caller looks the user up in the image's /etc/passwd.
 */
export async function workdirOwner(client: RegistryApiClient, image: ImageRef, folder: string, options: RequestOptions = {}): Promise<{ uid: number; gid: number } | undefined> {
  const layer = await topLayer(client, image, options);
  if (!layer || typeof layer.digest !== 'string' || typeof layer.mediaType !== 'string') return undefined;
  const gzip = /gzip$/.test(layer.mediaType);
  if (!gzip && !/tar$/.test(layer.mediaType)) return undefined;
  const blob = await client.getBlob(image.repository, layer.digest, { ...options, maxBytes: MAX_TOP_LAYER_BYTES });
  if (!blob) return undefined;
  return ownerIn(gzip ? blob.pipe(createGunzip()) : blob, folder, blob).catch(() => undefined);
}

async function topLayer(client: RegistryApiClient, image: ImageRef, options: RequestOptions): Promise<Descriptor | undefined> {
  const reference = image.digest ?? image.tag ?? 'latest';
  let manifest = await jsonOf(client, image.repository, reference, options);
  const children = manifest?.['manifests'];
  if (Array.isArray(children)) {
    // An index: its first platform manifest (attestations are not images).
    const child = (children as Descriptor[]).find((d) => d.platform?.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
    manifest = typeof child?.digest === 'string' ? await jsonOf(client, image.repository, child.digest, options) : undefined;
  }
  const layers = manifest?.['layers'];
  return Array.isArray(layers) ? (layers.at(-1) as Descriptor | undefined) : undefined;
}

async function jsonOf(client: RegistryApiClient, repository: string, reference: string, options: RequestOptions): Promise<Record<string, unknown> | undefined> {
  const manifest = await client.getManifest(repository, reference, options);
  if (!manifest) return undefined;
  try {
    return JSON.parse(Buffer.from(manifest.bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Scans a tar stream for `folder`'s directory entry; stops (and drops the download) as soon as it is found. */
async function ownerIn(tar: Readable, folder: string, source: Readable): Promise<{ uid: number; gid: number } | undefined> {
  const entries = extract();
  tar.on('error', (error) => entries.destroy(error));
  tar.pipe(entries);
  try {
    for await (const entry of entries) {
      const name = entry.header.name.replace(/^\.\//, '').replace(/\/+$/, '');
      if (name === folder && entry.header.type === 'directory') return { uid: entry.header.uid ?? 0, gid: entry.header.gid ?? 0 };
      entry.resume();
      await once(entry, 'end');
    }
    return undefined;
  } finally {
    source.destroy();
    tar.destroy();
  }
}
