import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { sha256Digest } from '../sha256Digest.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface TestBlob {
  bytes: Uint8Array;
  digest: string;
}

/** A real single-layer image (one file, FROM scratch), small enough to build in a test. */
export interface OciTestImage {
  config: TestBlob;
  /** The gzipped tar; its `diffId` (digest of the plain tar) is in the config's rootfs. */
  layer: TestBlob & { diffId: string };
  manifest: TestBlob & { mediaType: string };
}

async function tarOf(files: Record<string, string>): Promise<Uint8Array> {
  const archive = pack();
  for (const [name, content] of Object.entries(files)) archive.entry({ name, mtime: new Date(0), mode: 0o644 }, content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const blob = (bytes: Uint8Array): TestBlob => ({ bytes, digest: sha256Digest(bytes) });

export async function ociTestImage(files: Record<string, string>): Promise<OciTestImage> {
  const tar = await tarOf(files);
  const layer = { ...blob(new Uint8Array(await promisify(gzip)(tar))), diffId: sha256Digest(tar) };
  const config = blob(
    new TextEncoder().encode(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layer.diffId] } }),
    ),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.bytes.length },
    layers: [{ mediaType: OCI_LAYER_GZIP, digest: layer.digest, size: layer.bytes.length }],
  };
  return { config, layer, manifest: { ...blob(new TextEncoder().encode(JSON.stringify(manifest))), mediaType: OCI_MANIFEST } };
}
