import { z } from 'zod';
import type { RegistryManifest } from './RegistryApiClient.js';
import { registryFailure } from './registryFailure.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** The gzip layer media type of each image manifest kind: appended layers use the base's family. */
const GZIP_LAYER_OF: Readonly<Record<string, string>> = {
  [OCI_MANIFEST]: 'application/vnd.oci.image.layer.v1.tar+gzip',
  [DOCKER_MANIFEST]: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

/**
 * Manifests and configs are read whole into memory: refuse what no real image comes near (Docker
 * Hub's own manifest limit is 4 MiB) rather than trust the registry with our memory.
 */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** buildx writes a handful; a registry that lists more is not serving an image index. */
export const MAX_INDEX_MANIFESTS = 64;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

// Loose objects: every field we do not touch is kept as the registry sent it.
const descriptorSchema = z.looseObject({
  mediaType: z.string(),
  digest: z.string().regex(DIGEST, 'not a sha256 digest'),
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z.looseObject({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
});
const imageManifestSchema = z.looseObject({ config: descriptorSchema, layers: z.array(descriptorSchema) });
const indexSchema = z.looseObject({ manifests: z.array(descriptorSchema) });
const imageConfigSchema = z.looseObject({
  created: z.string().optional(),
  config: z
    .looseObject({
      Env: z.array(z.string()).nullish(),
      Labels: z.record(z.string(), z.string()).nullish(),
      WorkingDir: z.string().optional(),
      User: z.string().optional(),
    })
    .nullish(),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(z.string().regex(DIGEST, 'not a sha256 digest')) }),
  history: z.array(z.looseObject({})).nullish(),
});

export type Descriptor = z.infer<typeof descriptorSchema>;
export type ImageManifestJson = z.infer<typeof imageManifestSchema>;
export type ImageIndexJson = z.infer<typeof indexSchema>;
export type ImageConfigJson = z.infer<typeof imageConfigSchema>;

/** An image manifest or an index, parsed and checked, with the bytes it came from. */
export type ImageDocument =
  | { kind: 'image'; manifest: RegistryManifest; json: ImageManifestJson }
  | { kind: 'index'; manifest: RegistryManifest; json: ImageIndexJson };

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** The gzip layer media type for layers added to a manifest of this kind. */
export function gzipLayerMediaType(manifestMediaType: string): string {
  const mediaType = GZIP_LAYER_OF[manifestMediaType];
  if (!mediaType) throw registryFailure(`a manifest of type ${manifestMediaType} is not an image manifest`);
  return mediaType;
}

/** buildx's provenance/SBOM manifests: they describe one platform manifest and are no platform themselves. */
export function isAttestation(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return descriptor.platform?.os === 'unknown' && descriptor.platform.architecture === 'unknown';
}

/** `linux/arm64/v8` of a descriptor's platform, or `unknown platform`. */
export function platformName(descriptor: Descriptor): string {
  const p = descriptor.platform;
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'unknown platform';
}

/** Parses a manifest the registry served: an image manifest (OCI or Docker v2) or an index; else REGISTRY_FAILED. */
export function parseImageDocument(manifest: RegistryManifest, what: string): ImageDocument {
  checkSize(manifest.bytes.length, MAX_MANIFEST_BYTES, `${what}: its manifest ${manifest.digest}`);
  const json = parseJson(manifest.bytes, `${what}: the manifest ${manifest.digest}`);
  if (isIndexMediaType(manifest.mediaType)) {
    return { kind: 'index', manifest, json: checked(indexSchema, json, `${what}: the index ${manifest.digest}`) };
  }
  if (!GZIP_LAYER_OF[manifest.mediaType]) {
    throw registryFailure(`${what}: ${manifest.digest} is a ${manifest.mediaType}, not an image manifest or index`);
  }
  return { kind: 'image', manifest, json: checked(imageManifestSchema, json, `${what}: the manifest ${manifest.digest}`) };
}

/** Parses an image config blob (already checked against its digest by the client). */
export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfigJson {
  checkSize(bytes.length, MAX_CONFIG_BYTES, what);
  return checked(imageConfigSchema, parseJson(bytes, what), what);
}

/** Compact JSON, as the bytes whose sha256 is the document's digest. */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function checkSize(size: number, max: number, what: string): void {
  if (size > max) throw registryFailure(`${what} has ${size} bytes, more than the ${max} an image document may have`);
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw registryFailure(`${what} is not JSON`, { cause });
  }
}

function checked<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (!result.success) throw registryFailure(`${what} is not a valid image document: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`);
  return result.data;
}
