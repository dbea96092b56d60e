import type { Readable } from 'node:stream';
import { StowageError, formatImageReference, manifestReferenceOf, type ImageRef } from '@stowage/plugin-api';
import {
  MAX_CONFIG_BYTES,
  MAX_INDEX_MANIFESTS,
  encodeJson,
  isAttestation,
  parseImageConfig,
  parseImageDocument,
  type ImageDocument,
} from './ImageManifest.js';
import { mountBlobs } from './mountBlobs.js';
import { putBlobs } from './putBlobs.js';
import type { RegistryApiClient } from './RegistryApiClient.js';
import { registryFailure } from './registryFailure.js';
import { appendToConfig, appendToIndex, appendToManifest, type AppendConfigChanges } from './rewriteForAppend.js';
import { sha256Digest } from './sha256Digest.js';

export interface AppendedLayer {
  /** sha256 of the gzip-compressed blob. */
  digest: string;
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids). */
  diffId: string;
  /** Bytes of the compressed blob. */
  size: number;
  /** The blob's bytes; called only when the target repository lacks the blob (and again if an upload must be retried). */
  open(): Readable | Uint8Array | Promise<Readable | Uint8Array>;
  /** The history entry's `created_by` (e.g. `stowage: code layer src/ (412 files)`). */
  createdBy: string;
}

export interface AppendImageRequest {
  /** The image appended to, by digest (`repo@sha256:…`); an index is appended per platform. */
  base: ImageRef;
  /** Where the result is tagged (same registry as base; may be another repository). */
  target: ImageRef;
  layers: readonly AppendedLayer[];
  /** What the new config says besides the layers. env entries `NAME=value` replace the base's of the same NAME, others are appended. */
  config?: AppendConfigChanges;
  signal?: AbortSignal;
  /** Progress: each layer as it is found present (or mounted from the base's repository) or uploaded. */
  onLayer?(event: { digest: string; size: number; outcome: 'present' | 'uploaded' }): void;
}

export interface AppendImageResult {
  /** Digest of the manifest (or index) put under target. */
  digest: string;
  /** Bytes of blobs sent: the compressed layers, and configs the target lacked. */
  uploadedBytes: number;
  /** Platform manifests written. */
  manifests: number;
}

/** A platform manifest of the base and what it becomes. */
interface AppendedPlatform {
  base: Extract<ImageDocument, { kind: 'image' }>;
  config: { bytes: Uint8Array; digest: string };
  manifest: { bytes: Uint8Array; digest: string; mediaType: string };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Appends layers to an image in the registry without a Docker daemon (go-containerregistry's
 * `mutate.AppendLayers` + `remote.Write`, crane's `append`). Order makes it all-or-nothing for
 * whoever pulls the tag: every blob first, then each manifest by digest, the tag last. A failure
 * or an abort before that leaves the tag as it was; what was sent is unreferenced and collectable.
 */
export async function appendImage(client: RegistryApiClient, request: AppendImageRequest): Promise<AppendImageResult> {
  const { base, target, signal } = request;
  const what = checkRequest(request);
  const root = await readDocument(client, base.repository, base.digest!, what, signal);
  const platforms: AppendedPlatform[] = [];
  for (const document of root.kind === 'index' ? await readPlatforms(client, root, base.repository, what, signal) : [root]) {
    platforms.push(await appendToPlatform(client, document, request, what));
  }
  if (base.repository !== target.repository) {
    await mountBlobs(client, platforms.flatMap((p) => p.base.json.layers.map((l) => l.digest)), base.repository, target.repository, what, { signal });
  }
  const onBlob = (layer: { digest: string; size: number }, outcome: 'present' | 'uploaded') => request.onLayer?.({ digest: layer.digest, size: layer.size, outcome });
  let uploadedBytes = await putBlobs(client, request.layers, { repository: target.repository, mountFrom: base.repository, signal, onBlob });
  const configs = platforms.map(({ config }) => ({ digest: config.digest, size: config.bytes.length, open: () => config.bytes }));
  uploadedBytes += await putBlobs(client, configs, { repository: target.repository, mountFrom: base.repository, signal });
  for (const { manifest } of platforms) await putManifest(client, target.repository, manifest.digest, manifest, what, signal);
  const top = root.kind === 'index' ? indexAppended(root, platforms) : platforms[0]!.manifest;
  // The last moment to stop: after this the tag names the new image.
  signal?.throwIfAborted();
  const digest = await putManifest(client, target.repository, manifestReferenceOf(target), top, what, signal);
  return { digest, uploadedBytes, manifests: platforms.length };
}

/** Refuses what cannot be appended before anything is read or sent; returns the start of error messages. */
function checkRequest({ base, target, layers, config }: AppendImageRequest): string {
  const usage = (message: string, hint: string) => new StowageError(message, { code: 'USAGE', hint });
  const what = `could not append to ${formatImageReference(base)} as ${formatImageReference(target)}`;
  if (!base.digest) throw usage(`${what}: the base must be given by digest`, 'resolve its tag first (RegistryApiClient.resolveDigest), so the append cannot race a push');
  if (base.registry !== target.registry) throw usage(`${what}: base and target must be in the same registry`, 'push the base to the target registry first');
  if (target.digest) throw usage(`${what}: the target is a tag, not a digest`, 'the digest is what the append computes');
  for (const [i, layer] of layers.entries()) {
    const valid = DIGEST.test(layer.digest) && DIGEST.test(layer.diffId) && Number.isSafeInteger(layer.size) && layer.size >= 0;
    if (!valid) throw usage(`${what}: layers[${i}] needs a sha256 digest and diffId and a size in bytes`, 'give the digest of the gzip blob, the digest of the tar and the blob size');
  }
  if (config?.created !== undefined && Number.isNaN(Date.parse(config.created))) throw usage(`${what}: config.created "${config.created}" is not a date`, 'give an RFC 3339 time, e.g. 2026-01-01T00:00:00Z');
  return what;
}

async function readDocument(client: RegistryApiClient, repository: string, digest: string, what: string, signal: AbortSignal | undefined): Promise<ImageDocument> {
  const manifest = await client.getManifest(repository, digest, { signal });
  if (!manifest) throw registryFailure(`${what}: the registry has no manifest ${digest} in ${repository}`, { hint: 'build the base image again (it was deleted)' });
  return parseImageDocument(manifest, what);
}

/** The platform manifests of an index, attestations left out (each would name a manifest that no longer exists). */
async function readPlatforms(client: RegistryApiClient, index: Extract<ImageDocument, { kind: 'index' }>, repository: string, what: string, signal: AbortSignal | undefined) {
  const listed = index.json.manifests;
  if (listed.length > MAX_INDEX_MANIFESTS) throw registryFailure(`${what}: the index lists ${listed.length} manifests, more than the ${MAX_INDEX_MANIFESTS} an image has`);
  const digests = [...new Set(listed.filter((d) => !isAttestation(d)).map((d) => d.digest))];
  if (digests.length === 0) throw registryFailure(`${what}: the index ${index.manifest.digest} lists no platform image`);
  const platforms: Extract<ImageDocument, { kind: 'image' }>[] = [];
  for (const digest of digests) {
    const document = await readDocument(client, repository, digest, what, signal);
    if (document.kind !== 'image') throw registryFailure(`${what}: the index ${index.manifest.digest} lists another index (${digest})`);
    platforms.push(document);
  }
  return platforms;
}

/** Reads one platform's config and computes its new config and manifest (nothing is sent yet). */
async function appendToPlatform(client: RegistryApiClient, base: Extract<ImageDocument, { kind: 'image' }>, request: AppendImageRequest, what: string): Promise<AppendedPlatform> {
  const { repository } = request.base;
  const { digest } = base.json.config;
  const bytes = await client.getBlobBytes(repository, digest, { maxBytes: MAX_CONFIG_BYTES, signal: request.signal });
  if (!bytes) throw registryFailure(`${what}: its config ${digest} is missing from ${repository}`);
  const baseConfig = parseImageConfig(bytes, `${what}: the config ${digest}`);
  const layers = base.json.layers.length;
  if (baseConfig.rootfs.diff_ids.length !== layers) {
    throw registryFailure(`${what}: the config ${digest} lists ${baseConfig.rootfs.diff_ids.length} layers, its manifest ${layers}`);
  }
  const config = blobOf(encodeJson(appendToConfig(baseConfig, request.layers, request.config)));
  const manifest = appendToManifest(base.json, base.manifest.mediaType, { digest: config.digest, size: config.bytes.length }, request.layers);
  return { base, config, manifest: { ...blobOf(encodeJson(manifest)), mediaType: base.manifest.mediaType } };
}

function indexAppended(root: Extract<ImageDocument, { kind: 'index' }>, platforms: readonly AppendedPlatform[]) {
  const replaced = new Map(platforms.map((p) => [p.base.manifest.digest, { digest: p.manifest.digest, size: p.manifest.bytes.length }]));
  return { ...blobOf(encodeJson(appendToIndex(root.json, replaced))), mediaType: root.manifest.mediaType };
}

async function putManifest(client: RegistryApiClient, repository: string, reference: string, manifest: AppendedPlatform['manifest'], what: string, signal: AbortSignal | undefined): Promise<string> {
  const stored = await client.putManifest(repository, reference, manifest.bytes, manifest.mediaType, { signal });
  if (stored !== manifest.digest) throw registryFailure(`${what}: the registry stored the manifest ${repository}:${reference} as ${stored}, not ${manifest.digest}`);
  return stored;
}

function blobOf(bytes: Uint8Array): { bytes: Uint8Array; digest: string } {
  return { bytes, digest: sha256Digest(bytes) };
}
