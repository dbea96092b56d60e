import { formatImageReference, manifestReferenceOf, type ImageRef } from '@stowage/plugin-api';
import type { RegistryApiClient, RegistryManifest, RequestOptions } from './RegistryApiClient.js';
import { mountBlobs } from './mountBlobs.js';
import { registryFailure } from './registryFailure.js';

interface ManifestJson {
  config?: { digest?: unknown };
  layers?: { digest?: unknown }[];
  manifests?: { digest?: unknown }[];
}

/**
 * Gives an image a new name in the same registry without pulling or pushing a layer (crane's
 * `copy` within one registry): across repositories its blobs are mounted and, for an index, each
 * platform's manifest copied; then the manifest is put under the new tag. The bytes are unchanged,
 * so the digest is the source's, which is returned.
 */
export async function copyImage(client: RegistryApiClient, from: ImageRef, to: ImageRef, options: RequestOptions = {}): Promise<string> {
  const what = `${formatImageReference(from)} → ${formatImageReference(to)}`;
  const manifest = await client.getManifest(from.repository, manifestReferenceOf(from), options);
  if (!manifest) throw registryFailure(`could not copy ${what}: the registry has no such image`, { hint: 'build again (the earlier image was deleted)' });
  if (from.repository !== to.repository) await copyContents(client, manifest, from.repository, to.repository, options);
  const digest = await client.putManifest(to.repository, manifestReferenceOf(to), manifest.bytes, manifest.mediaType, options);
  if (digest !== manifest.digest) throw registryFailure(`could not copy ${what}: the registry stored it as ${digest}, not ${manifest.digest}`);
  return digest;
}

/** Mounts what a manifest references into `to`: blobs, and (index) the platform manifests with theirs. */
async function copyContents(client: RegistryApiClient, manifest: RegistryManifest, from: string, to: string, options: RequestOptions): Promise<void> {
  const json = parse(manifest);
  for (const child of json.manifests ?? []) {
    const digest = String(child.digest);
    const inner = await client.getManifest(from, digest, options);
    if (!inner) throw registryFailure(`could not copy ${from}@${manifest.digest}: its manifest ${digest} is missing`);
    await copyContents(client, inner, from, to, options);
    await client.putManifest(to, digest, inner.bytes, inner.mediaType, options);
  }
  const blobs = [json.config?.digest, ...(json.layers ?? []).map((l) => l.digest)].filter((d): d is string => typeof d === 'string');
  await mountBlobs(client, blobs, from, to, `could not copy ${from}@${manifest.digest} to ${to}`, options);
}

function parse(manifest: RegistryManifest): ManifestJson {
  try {
    return JSON.parse(Buffer.from(manifest.bytes).toString('utf8')) as ManifestJson;
  } catch (cause) {
    throw registryFailure(`the manifest ${manifest.digest} is not JSON`, { cause });
  }
}
