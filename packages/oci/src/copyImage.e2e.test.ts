/**
 * copyImage against the real registry (the e2e harness's, with basic auth): a retag in the same
 * repository, a copy into another repository (blobs mounted, never re-sent), an index whose
 * platform manifests follow it, and a missing source.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, parseImageReference } from '@stowage/plugin-api';
import { e2eRegistries } from './__fixtures__/e2eRegistries.js';
import { ociTestImage, type OciTestImage } from './__fixtures__/ociTestImage.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { copyImage } from './copyImage.js';
import { RegistryApiClient } from './RegistryApiClient.js';

const registries = await e2eRegistries('@stowage/oci copyImage');
const run = randomBytes(4).toString('hex');
const INDEX = 'application/vnd.oci.image.index.v1+json';
const originalFetch = globalThis.fetch;

describe.skipIf(!registries)('copyImage in the real registry (basic auth)', () => {
  let api: RegistryApiClient;
  let image: OciTestImage;
  let host = '';
  const ref = (repository: string, tagOrDigest: string) => parseImageReference(`${host}/stowage-oci-e2e/${run}/${repository}${tagOrDigest.startsWith('sha256:') ? '@' : ':'}${tagOrDigest}`);
  /** Blob requests the client sent, by method and path. */
  const sent: string[] = [];

  beforeAll(async () => {
    host = registries!.auth;
    const { username, password } = registries!;
    const recordingFetch: typeof fetch = (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      sent.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
      return originalFetch(input, init);
    };
    globalThis.fetch = recordingFetch;
    api = new RegistryApiClient({ baseUrl: `http://${host}`, auth: async () => ({ type: 'basic', username, password }), timeoutMs: 10_000, tokens: new BearerTokenCache() });
    image = await ociTestImage({ 'stowage/copied.txt': `copyImage e2e ${run}\n` });
    const repo = ref('source', 'v1').repository;
    for (const blob of [image.config, image.layer]) await api.uploadBlob(repo, blob.bytes, blob.digest, blob.bytes.length);
    await api.putManifest(repo, 'v1', image.manifest.bytes, image.manifest.mediaType);
  });

  afterAll(() => {
    globalThis.fetch = originalFetch;
  });

  it('retags in the same repository: the same digest under the new tag', async () => {
    expect(await copyImage(api, ref('source', 'v1'), ref('source', 'v2'))).toBe(image.manifest.digest);
    expect(await api.probeManifest(ref('source', 'v2').repository, 'v2')).toEqual({ presence: 'present', digest: image.manifest.digest });
  });

  it('copies into another repository by mounting the blobs (no blob is uploaded)', async () => {
    const from = sent.length;
    expect(await copyImage(api, ref('source', image.manifest.digest), ref('target', 'renamed'))).toBe(image.manifest.digest);
    const target = ref('target', 'renamed').repository;
    expect(await api.headBlob(target, image.layer.digest)).toMatchObject({ size: image.layer.bytes.length });
    expect((await api.getManifest(target, 'renamed'))?.bytes).toEqual(image.manifest.bytes);
    const requests = sent.slice(from);
    const uploads = requests.filter((r) => r.includes('/blobs/uploads/'));
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    expect(uploads.every((r) => r.startsWith('POST') && r.includes('mount=sha256'))).toBe(true);
  });

  it('an index takes its platform manifests (and their blobs) along', async () => {
    const source = ref('source', 'v1').repository;
    const index = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: [{ mediaType: image.manifest.mediaType, digest: image.manifest.digest, size: image.manifest.bytes.length, platform: { architecture: 'amd64', os: 'linux' } }] }));
    const indexDigest = await api.putManifest(source, 'multi', index, INDEX);
    expect(await copyImage(api, ref('source', 'multi'), ref('multi-target', 'multi'))).toBe(indexDigest);
    const target = ref('multi-target', 'multi').repository;
    expect(await api.probeManifest(target, image.manifest.digest)).toMatchObject({ presence: 'present' });
    expect(await api.headBlob(target, image.config.digest)).toBeDefined();
  });

  it('a source the registry does not have: REGISTRY_FAILED saying so', async () => {
    const error = await copyImage(api, ref('source', 'never-pushed'), ref('source', 'x')).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toMatch(/could not copy .*source:never-pushed → .*source:x: the registry has no such image/);
  });
});
