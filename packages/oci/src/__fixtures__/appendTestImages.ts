import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { AppendedLayer } from '../appendImage.js';
import type { RegistryApiClient } from '../RegistryApiClient.js';
import { sha256Digest } from '../sha256Digest.js';

/**
 * Real images for the append and read tests, built in the test: gzip tar layers with owners and
 * modes, Docker v2 or OCI manifests, configs with env/labels/history, indexes with an attestation.
 */
export const MEDIA = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;
export type ImageKind = keyof typeof MEDIA;

export interface TestEntry {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink';
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface TestLayer {
  /** The compressed blob (what the registry stores). */
  bytes: Uint8Array;
  digest: string;
  diffId: string;
  size: number;
  mediaType?: string;
}

export interface TestImage {
  config: { bytes: Uint8Array; digest: string; json: Record<string, unknown> };
  layers: TestLayer[];
  manifest: { bytes: Uint8Array; digest: string; mediaType: string };
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

export async function tarOf(entries: readonly TestEntry[]): Promise<Buffer> {
  const archive = pack();
  for (const { content, ...header } of entries) {
    const type = header.type ?? 'file';
    const fields = { mtime: new Date(0), mode: type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, ...header, type };
    if (type === 'file') archive.entry(fields, content ?? '');
    else archive.entry(fields);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function gzipLayer(entries: readonly TestEntry[]): Promise<TestLayer> {
  const tar = await tarOf(entries);
  const bytes = new Uint8Array(await promisify(gzip)(tar));
  return { bytes, digest: sha256Digest(bytes), diffId: sha256Digest(tar), size: bytes.length };
}

/**
 * A zstd frame of the tar made of raw (stored) blocks: real zstd, as `zstd -d` reads it, without a
 * zstd compressor (Node 20 has none).
 */
export async function zstdLayer(entries: readonly TestEntry[]): Promise<TestLayer> {
  const tar = await tarOf(entries);
  const blocks: Buffer[] = [];
  const BLOCK = 128 * 1024;
  for (let at = 0; at < tar.length; at += BLOCK) {
    const data = tar.subarray(at, at + BLOCK);
    const last = at + BLOCK >= tar.length ? 1 : 0;
    const header = last | (data.length << 3); // block type 0 = raw
    blocks.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), data);
  }
  // Magic, then a frame header: 4-byte content size, no window descriptor (single segment).
  const frameHeader = Buffer.alloc(5);
  frameHeader[0] = 0b1010_0000;
  frameHeader.writeUInt32LE(tar.length, 1);
  const bytes = new Uint8Array(Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), frameHeader, ...blocks]));
  return { bytes, digest: sha256Digest(bytes), diffId: sha256Digest(tar), size: bytes.length, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
}

/** An image of the given layers (bottom first) with a config like docker writes one. */
export function testImage(kind: ImageKind, layers: readonly TestLayer[], options: { architecture?: string; config?: Record<string, unknown> } = {}): TestImage {
  const json = {
    architecture: options.architecture ?? 'amd64',
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8'], Labels: { 'org.example.base': 'yes' }, WorkingDir: '/', ...options.config },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `base layer ${i}` })),
  };
  const configBytes = encode(json);
  const config = { bytes: configBytes, digest: sha256Digest(configBytes), json };
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA[kind].manifest,
    config: { mediaType: MEDIA[kind].config, digest: config.digest, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType ?? MEDIA[kind].layer, digest: l.digest, size: l.size })),
    ...(kind === 'oci' && { annotations: { 'org.example.kept': 'manifest annotation' } }),
  };
  const bytes = encode(manifest);
  return { config, layers: [...layers], manifest: { bytes, digest: sha256Digest(bytes), mediaType: MEDIA[kind].manifest } };
}

/** buildx's provenance manifest for `subject`: platform unknown/unknown, with in-toto blobs. */
export function attestation(subject: string): { blobs: Uint8Array[]; manifest: TestImage['manifest']; descriptor: Record<string, unknown> } {
  const statement = encode({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ digest: { sha256: subject.slice(7) } }] });
  const config = encode({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [sha256Digest(statement)] } });
  const json = {
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    config: { mediaType: MEDIA.oci.config, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.in-toto+json', digest: sha256Digest(statement), size: statement.length }],
  };
  const bytes = encode(json);
  const manifest = { bytes, digest: sha256Digest(bytes), mediaType: MEDIA.oci.manifest };
  const descriptor = {
    mediaType: MEDIA.oci.manifest,
    digest: manifest.digest,
    size: bytes.length,
    annotations: { 'vnd.docker.reference.digest': subject, 'vnd.docker.reference.type': 'attestation-manifest' },
    platform: { architecture: 'unknown', os: 'unknown' },
  };
  return { blobs: [config, statement], manifest, descriptor };
}

/** An index (OCI or Docker list) of the given manifest descriptors. */
export function testIndex(kind: ImageKind, descriptors: readonly Record<string, unknown>[]): TestImage['manifest'] {
  const bytes = encode({ schemaVersion: 2, mediaType: MEDIA[kind].index, manifests: descriptors, ...(kind === 'oci' && { annotations: { 'org.example.kept': 'index annotation' } }) });
  return { bytes, digest: sha256Digest(bytes), mediaType: MEDIA[kind].index };
}

export function platformDescriptor(image: TestImage, architecture: string): Record<string, unknown> {
  return { mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.bytes.length, platform: { architecture, os: 'linux' } };
}

/** Uploads an image's blobs and puts its manifest under `tag`; returns its digest. */
export async function pushTestImage(api: RegistryApiClient, repository: string, image: TestImage, tag: string): Promise<string> {
  for (const blob of [image.config, ...image.layers]) {
    if (!(await api.headBlob(repository, blob.digest))) await api.uploadBlob(repository, blob.bytes, blob.digest, blob.bytes.length);
  }
  return api.putManifest(repository, tag, image.manifest.bytes, image.manifest.mediaType);
}

export type AppendedTestLayer = AppendedLayer & { opened: number };

/** A layer as appendImage takes it; `opened` counts calls to `open()`. */
export function appended(layer: TestLayer, createdBy: string, onOpen?: () => void): AppendedTestLayer {
  const result = {
    digest: layer.digest,
    diffId: layer.diffId,
    size: layer.size,
    createdBy,
    opened: 0,
    open: () => {
      result.opened += 1;
      onOpen?.();
      // As a stream in two chunks, as a layer written to disk is read.
      const half = Math.floor(layer.bytes.length / 2);
      return Readable.from([Buffer.from(layer.bytes.subarray(0, half)), Buffer.from(layer.bytes.subarray(half))]);
    },
  };
  return result;
}
