import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { MAX_MANIFEST_BYTES, gzipLayerMediaType, isAttestation, parseImageConfig, parseImageDocument, platformName } from './ImageManifest.js';
import type { RegistryManifest } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

const DIGEST = sha256Digest('x');
const manifestOf = (json: unknown, mediaType: string): RegistryManifest => {
  const bytes = new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json));
  return { bytes, mediaType, digest: sha256Digest(bytes) };
};

function failure(run: () => unknown): StowageError {
  try {
    run();
  } catch (error) {
    if (StowageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a StowageError');
}

describe('parseImageDocument', () => {
  const image = { schemaVersion: 2, config: { mediaType: 'c', digest: DIGEST, size: 2 }, layers: [{ mediaType: 'l', digest: DIGEST, size: 3, urls: ['kept'] }], extra: { kept: true } };

  it.each([['application/vnd.oci.image.manifest.v1+json'], ['application/vnd.docker.distribution.manifest.v2+json']])('reads an image manifest of type %s, keeping unknown fields', (mediaType) => {
    const document = parseImageDocument(manifestOf(image, mediaType), 'reading');
    expect(document.kind).toBe('image');
    expect(document.json).toEqual(image);
  });

  it.each([['application/vnd.oci.image.index.v1+json'], ['application/vnd.docker.distribution.manifest.list.v2+json']])('reads an index of type %s', (mediaType) => {
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'm', digest: DIGEST, size: 1, platform: { os: 'linux', architecture: 'amd64' } }] };
    expect(parseImageDocument(manifestOf(index, mediaType), 'reading')).toMatchObject({ kind: 'index', json: index });
  });

  it.each([
    ['not JSON', manifestOf('{', 'application/vnd.oci.image.manifest.v1+json'), /^reading: the manifest sha256:[0-9a-f]{64} is not JSON$/],
    ['another kind of manifest', manifestOf(image, 'application/vnd.docker.distribution.manifest.v1+prettyjws'), /is a application\/vnd\.docker\.distribution\.manifest\.v1\+prettyjws, not an image manifest or index$/],
    ['a layer without a digest', manifestOf({ ...image, layers: [{ mediaType: 'l', size: 1 }] }, 'application/vnd.oci.image.manifest.v1+json'), /is not a valid image document: .*layers\[0\]\.digest/],
    ['a bad digest', manifestOf({ ...image, config: { mediaType: 'c', digest: 'md5:1', size: 1 } }, 'application/vnd.oci.image.manifest.v1+json'), /config\.digest/],
    ['too large', manifestOf(`{"pad":"${'x'.repeat(MAX_MANIFEST_BYTES)}"}`, 'application/vnd.oci.image.manifest.v1+json'), /has \d+ bytes, more than the 4194304 an image document may have$/],
  ])('refuses %s (REGISTRY_FAILED)', (_name, manifest, message) => {
    const error = failure(() => parseImageDocument(manifest, 'reading'));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toMatch(message);
  });
});

describe('parseImageConfig', () => {
  it('needs rootfs.diff_ids', () => {
    expect(failure(() => parseImageConfig(new TextEncoder().encode('{"config":{}}'), 'the config')).message).toMatch(/^the config is not a valid image document: .*rootfs/);
  });
});

describe('media types and platforms', () => {
  it('appended layers are gzip in the manifest’s family', () => {
    expect(gzipLayerMediaType('application/vnd.oci.image.manifest.v1+json')).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(gzipLayerMediaType('application/vnd.docker.distribution.manifest.v2+json')).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
  });

  it.each([
    [{ platform: { os: 'unknown', architecture: 'unknown' } }, true],
    [{ annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }, platform: { os: 'linux', architecture: 'amd64' } }, true],
    [{ platform: { os: 'linux', architecture: 'amd64' } }, false],
    [{}, false],
  ])('isAttestation(%j) → %s', (fields, expected) => {
    expect(isAttestation({ mediaType: 'm', digest: DIGEST, size: 1, ...fields })).toBe(expected);
  });

  it('names platforms as os/arch/variant', () => {
    expect(platformName({ mediaType: 'm', digest: DIGEST, size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } })).toBe('linux/arm64/v8');
    expect(platformName({ mediaType: 'm', digest: DIGEST, size: 1 })).toBe('unknown platform');
  });
});
