/**
 * The distribution client against the real registry: Debian's docker-registry on loopback (the
 * e2e harness), without auth and with htpasswd basic auth. Pushes a generated single-layer OCI
 * image blob by blob, reads it back, mounts its blobs into another repository, copies its
 * manifest under new tags, and checks what the registry refuses. The open registry's image is
 * then pulled by docker itself, which proves the pushed manifest is a real image.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, type RegistryAuth } from '@stowage/plugin-api';
import { e2eRegistries } from './__fixtures__/e2eRegistries.js';
import { ociTestImage, type OciTestImage } from './__fixtures__/ociTestImage.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

const registries = await e2eRegistries('@stowage/oci RegistryApiClient');
const run = randomBytes(4).toString('hex');
const repository = `stowage-oci-e2e/${run}/app`;
const other = `stowage-oci-e2e/${run}/other`;

function client(host: string, auth: RegistryAuth = { type: 'anonymous' }): RegistryApiClient {
  return new RegistryApiClient({ baseUrl: `http://${host}`, auth: async () => auth, timeoutMs: 10_000, tokens: new BearerTokenCache() });
}

async function failure(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

describe.skipIf(!registries).each([
  ['without auth', 'open'],
  ['with basic auth', 'auth'],
] as const)('RegistryApiClient against the real registry %s', (_name, which) => {
  let host = '';
  let api: RegistryApiClient;
  let image: OciTestImage;
  /** [repository, digest] of every manifest pushed, deleted at the end (the registry allows deletes). */
  const pushed: [string, string][] = [];

  beforeAll(async () => {
    if (!registries) return;
    host = registries[which];
    const login: RegistryAuth = which === 'auth' ? { type: 'basic', username: registries.username, password: registries.password } : { type: 'anonymous' };
    api = client(host, login);
    // Unique content per run and registry, so no blob or manifest can be there by accident.
    image = await ociTestImage({ 'stowage/e2e.txt': `stowage oci e2e ${run} ${which}\n` });
    const answer = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0);
    if (answer !== (which === 'auth' ? 401 : 200)) throw new Error(`the e2e registry ${host} does not answer: run bash tooling/e2e/scripts/up.sh`);
  });

  afterAll(async () => {
    for (const [repo, digest] of pushed) {
      const headers: Record<string, string> = {};
      if (which === 'auth' && registries) headers['Authorization'] = `Basic ${Buffer.from(`${registries.username}:${registries.password}`).toString('base64')}`;
      await fetch(`http://${host}/v2/${repo}/manifests/${digest}`, { method: 'DELETE', headers }).catch(() => undefined);
    }
  });

  it('pushes the config and the layer (as a stream), then the manifest under a tag, and reads it all back', async () => {
    expect(await api.headBlob(repository, image.layer.digest)).toBeUndefined();
    expect(await api.uploadBlob(repository, image.config.bytes, image.config.digest, image.config.bytes.length)).toBe(image.config.digest);
    const stream = Readable.from([Buffer.from(image.layer.bytes.slice(0, 7)), Buffer.from(image.layer.bytes.slice(7))]);
    expect(await api.uploadBlob(repository, stream, image.layer.digest, image.layer.bytes.length)).toBe(image.layer.digest);
    expect(await api.headBlob(repository, image.config.digest)).toEqual({ digest: image.config.digest, size: image.config.bytes.length });
    expect(await api.headBlob(repository, image.layer.digest)).toEqual({ digest: image.layer.digest, size: image.layer.bytes.length });

    const digest = await api.putManifest(repository, 'v1', image.manifest.bytes, image.manifest.mediaType);
    pushed.push([repository, digest]);
    expect(digest).toBe(image.manifest.digest);
    const expected = { bytes: image.manifest.bytes, mediaType: image.manifest.mediaType, digest };
    expect(await api.getManifest(repository, 'v1')).toEqual(expected);
    expect(await api.getManifest(repository, digest)).toEqual(expected);
    expect(await api.probeManifest(repository, 'v1')).toEqual({ presence: 'present', digest });
    expect(await api.getManifest(repository, 'v2')).toBeUndefined();
    expect(await api.probeManifest(repository, 'v2')).toEqual({ presence: 'absent' });
  });

  it('mounts the blobs into another repository and copies the manifest there and under a new tag, without re-sending a blob', async () => {
    expect(await api.mountBlob(other, image.config.digest, repository)).toBe(true);
    expect(await api.mountBlob(other, image.layer.digest, repository)).toBe(true);
    expect(await api.headBlob(other, image.layer.digest)).toMatchObject({ size: image.layer.bytes.length });

    const source = await api.getManifest(repository, 'v1');
    if (!source) throw new Error('the manifest pushed by the previous test is gone');
    const copied = await api.putManifest(other, 'copied', source.bytes, source.mediaType);
    pushed.push([other, copied]);
    expect(copied).toBe(source.digest);
    expect((await api.getManifest(other, 'copied'))?.bytes).toEqual(source.bytes);
    expect(await api.putManifest(repository, 'v1-again', source.bytes, source.mediaType)).toBe(source.digest);
    expect(await api.probeManifest(repository, 'v1-again')).toEqual({ presence: 'present', digest: source.digest });
  });

  it('declines to mount a blob the source repository does not have', async () => {
    const missing = sha256Digest(`never uploaded ${run}`);
    expect(await api.mountBlob(other, missing, repository)).toBe(false);
    expect(await api.headBlob(other, missing)).toBeUndefined();
  });

  it('refuses a blob whose content does not match its digest (checked by the registry), and stores nothing', async () => {
    const claimed = sha256Digest(`claimed ${run}`);
    const actual = new TextEncoder().encode(`actual ${run}`);
    const error = await failure(api.uploadBlob(repository, actual, claimed, actual.length));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toMatch(/could not upload the blob sha256:[0-9a-f]{64} to .*: http:\/\/127\.0\.0\.1:\d+ answered HTTP 400 \(DIGEST_INVALID/);
    expect(await api.headBlob(repository, claimed)).toBeUndefined();
  });

  it('refuses a manifest whose blobs are not in the repository', async () => {
    const error = await failure(api.putManifest(`stowage-oci-e2e/${run}/empty`, 'v1', image.manifest.bytes, image.manifest.mediaType));
    expect(error.message).toMatch(/could not push the manifest .*HTTP 400 \(MANIFEST_BLOB_UNKNOWN/);
  });
});

describe.skipIf(!registries)('RegistryApiClient against the real registry with basic auth, without the right login', () => {
  it('without a login or with a wrong password: REGISTRY_FAILED, and the password is never shown', async () => {
    const { auth: host, username } = registries!;
    const anonymous = await failure(client(host).headBlob(repository, sha256Digest(run)));
    expect(anonymous.code).toBe('REGISTRY_FAILED');
    expect(anonymous.message).toBe(`http://${host} requires a login and none is configured (set username/password, or docker login)`);
    const wrong = await failure(client(host, { type: 'basic', username, password: 'not-the-password' }).getManifest(repository, 'v1'));
    expect(wrong.message).toBe(`http://${host} rejected the credentials (HTTP 401 after authenticating)`);
    expect(wrong.format()).not.toContain('not-the-password');
  });
});

describe.skipIf(!registries)('an image pushed with RegistryApiClient, pulled by docker', () => {
  it('docker pulls it by digest and sees its layer: the manifest, config and layer make a real image', async () => {
    const { open: host, docker: cli } = registries!;
    const docker = (...args: string[]) => promisify(execFile)(cli, args, { timeout: 60_000 });
    if (!(await docker('info', '--format', '{{.ServerVersion}}').then(() => true, () => false))) {
      throw new Error('no Docker engine answers: run bash tooling/e2e/scripts/up.sh');
    }
    const image = await ociTestImage({ 'stowage/pulled.txt': `pulled by docker ${run}\n` });
    const api = client(host);
    const repo = `stowage-oci-e2e/${run}/pulled`;
    for (const blob of [image.config, image.layer]) await api.uploadBlob(repo, blob.bytes, blob.digest, blob.bytes.length);
    const digest = await api.putManifest(repo, 'v1', image.manifest.bytes, image.manifest.mediaType);
    const name = `${host}/${repo}@${digest}`;
    try {
      await docker('pull', '-q', name);
      const { stdout } = await docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', name);
      expect(JSON.parse(stdout)).toEqual([image.layer.diffId]);
    } finally {
      await docker('rmi', name).catch(() => undefined);
      await fetch(`http://${host}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' }).catch(() => undefined);
    }
  }, 90_000);
});
