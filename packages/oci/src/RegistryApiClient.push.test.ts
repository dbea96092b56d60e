import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError, type RegistryAuth } from '@stowage/plugin-api';
import { FakeTokenRegistry, type FakeTokenRegistryOptions } from './__fixtures__/FakeTokenRegistry.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { tokenScope } from './RegistryAuthorizer.js';
import { sha256Digest } from './sha256Digest.js';

const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
const BASIC: RegistryAuth = { type: 'basic', ...LOGIN };
const LAYER = new TextEncoder().encode('a layer of stowage\n');
const LAYER_DIGEST = sha256Digest(LAYER);
const running: FakeTokenRegistry[] = [];

async function fakeRegistry(options: FakeTokenRegistryOptions): Promise<FakeTokenRegistry> {
  const registry = await new FakeTokenRegistry(options).start();
  running.push(registry);
  return registry;
}

function client(registry: { origin: string }, auth: RegistryAuth = BASIC) {
  return new RegistryApiClient({ baseUrl: registry.origin, auth: async () => auth, timeoutMs: 5_000, tokens: new BearerTokenCache() });
}

async function failure(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

const scopesOf = (registry: FakeTokenRegistry) => registry.tokenRequests.map((r) => new URL(r.url, registry.origin).searchParams.getAll('scope'));

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

describe('tokenScope', () => {
  it.each([
    [[{ repository: 'a/b', actions: ['pull'] as const }], undefined, 'repository:a/b:pull'],
    [[{ repository: 'a/b', actions: ['push', 'pull'] as const }], 'repository:a/b:pull', 'repository:a/b:pull,push'],
    [[{ repository: 'a', actions: ['pull', 'push'] as const }, { repository: 'src', actions: ['pull'] as const }], '', 'repository:a:pull,push repository:src:pull'],
    [[{ repository: 'a', actions: ['pull'] as const }], 'repository:other:pull registry:catalog:*', 'repository:a:pull repository:other:pull registry:catalog:*'],
  ])('%j with the challenge scope %j → %s', (scopes, challenge, expected) => {
    expect(tokenScope(scopes, challenge)).toBe(expected);
  });
});

describe('RegistryApiClient — blobs', () => {
  it('uploads a blob (POST, then PUT with the digest) after fetching a pull,push token, and finds it with HEAD', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const api = client(registry);
    expect(await api.uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length)).toBe(LAYER_DIGEST);
    expect(scopesOf(registry)).toEqual([['repository:a/b:pull,push']]);
    expect(registry.requests.filter((r) => r.method === 'PUT')[0]?.url).toMatch(/^\/v2\/a\/b\/blobs\/uploads\/u1\?_state=s1&digest=sha256%3A[0-9a-f]{64}$/);
    expect(await api.headBlob('a/b', LAYER_DIGEST)).toEqual({ digest: LAYER_DIGEST, size: LAYER.length });
    expect(await api.headBlob('a/b', sha256Digest('other'))).toBeUndefined();
  });

  it('tells the secret sink every token it fetches', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const secrets: string[] = [];
    const api = new RegistryApiClient({ baseUrl: registry.origin, auth: async () => BASIC, timeoutMs: 5_000, tokens: new BearerTokenCache(), secrets: { add: (s) => void secrets.push(s) } });
    await api.uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length);
    expect(secrets).toEqual(['tok-1']);
  });

  it('sends a stream once the POST has settled the login (a stream cannot be sent twice)', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const stream = Readable.from([LAYER.slice(0, 5), LAYER.slice(5)]);
    expect(await client(registry).uploadBlob('a/b', stream, LAYER_DIGEST, LAYER.length)).toBe(LAYER_DIGEST);
    expect(registry.blobs.get(`a/b@${LAYER_DIGEST}`)?.toString()).toBe('a layer of stowage\n');
    const puts = registry.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.authorization).toBe('Bearer tok-1');
  });

  it.each([
    ['names the scope', false],
    ['names no scope', true],
  ])('a pull token is not enough to push: the push asks for a pull,push token (the challenge %s)', async (_case, challengeWithoutScope) => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, challengeWithoutScope });
    const api = client(registry);
    expect(await api.headBlob('a/b', LAYER_DIGEST)).toBeUndefined();
    await api.uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length);
    expect(scopesOf(registry)).toEqual([['repository:a/b:pull'], ['repository:a/b:pull,push']]);
  });

  it('refuses content that does not match the digest (the registry checks it) and cancels the upload', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    const api = client(registry);
    const wrong = sha256Digest('something else');
    const error = await failure(api.uploadBlob('a/b', LAYER, wrong, LAYER.length));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(
      `could not upload the blob ${wrong} to a/b: ${registry.origin} answered HTTP 400 (DIGEST_INVALID: provided digest did not match uploaded content)`,
    );
    expect(await api.headBlob('a/b', wrong)).toBeUndefined();
    expect(registry.requests.map((r) => r.method)).toContain('DELETE');
  });

  it('refuses bytes whose length is not the size given, before sending anything (USAGE)', async () => {
    const registry = await fakeRegistry({ auth: 'none' });
    const error = await failure(client(registry).uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length + 1));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(`could not upload the blob ${LAYER_DIGEST} to a/b: it has ${LAYER.length} bytes, not ${LAYER.length + 1}`);
    expect(registry.requests).toEqual([]);
  });

  it('is REGISTRY_FAILED naming ECONNREFUSED when nothing listens', async () => {
    const registry = await fakeRegistry({ auth: 'none' });
    await registry.stop();
    const error = await failure(client(registry).uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toMatch(new RegExp(`^could not reach ${registry.origin}: ECONNREFUSED`));
  });

  it('mounts a blob from another repository with one token for both scopes; false when the source lacks it', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, challengeWithoutScope: true });
    const api = client(registry);
    await api.uploadBlob('base/python', LAYER, LAYER_DIGEST, LAYER.length);
    expect(await api.mountBlob('team/app', LAYER_DIGEST, 'base/python')).toBe(true);
    expect(scopesOf(registry).at(-1)).toEqual(['repository:team/app:pull,push', 'repository:base/python:pull']);
    expect(await api.headBlob('team/app', LAYER_DIGEST)).toMatchObject({ size: LAYER.length });

    const missing = sha256Digest('never uploaded');
    expect(await api.mountBlob('team/app', missing, 'base/python')).toBe(false);
    expect(registry.requests.at(-1)).toMatchObject({ method: 'DELETE', url: expect.stringMatching(/^\/v2\/team\/app\/blobs\/uploads\//) });
  });

  it('anonymous tokens cannot push: the failure says the login was rejected and names no credential', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, anonymousTokens: true });
    const error = await failure(client(registry, { type: 'anonymous' }).uploadBlob('a/b', LAYER, LAYER_DIGEST, LAYER.length));
    expect(error.message).toBe(`${registry.origin} rejected the credentials (HTTP 401 after authenticating)`);
  });
});

describe('RegistryApiClient — manifests', () => {
  const manifest = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' }));
  const type = 'application/vnd.oci.image.manifest.v1+json';

  it('puts a manifest under a tag and reads back the same bytes, media type and digest (by tag and by digest)', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const api = client(registry);
    const digest = await api.putManifest('a/b', 'v1', manifest, type);
    expect(digest).toBe(sha256Digest(manifest));
    for (const reference of ['v1', digest]) {
      const read = await api.getManifest('a/b', reference);
      expect(read).toEqual({ bytes: manifest, mediaType: type, digest });
    }
    expect(await api.probeManifest('a/b', 'v1')).toEqual({ presence: 'present', digest });
    expect(await api.getManifest('a/b', 'v2')).toBeUndefined();
  });

  it('fails with the registry error when the login may not push', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    const error = await failure(client(registry, { type: 'anonymous' }).putManifest('a/b', 'v1', manifest, type));
    expect(error.message).toBe(`${registry.origin} requires a login and none is configured (set username/password, or docker login)`);
  });
});

describe('RegistryApiClient — what the registry component hands out', () => {
  it.each([
    ['still valid: reused without asking again', 60_000, ['Bearer given-1'], 1],
    ['expired: asked for again after a fresh challenge', -1, [undefined, 'Bearer given-2'], 2],
  ])('sends a bearer token it was given as is (no token endpoint); %s', async (_case, ttlMs, secondProbe, asked) => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, acceptTokens: ['given-1', 'given-2'], manifests: { 'a/b:v1': LAYER_DIGEST } });
    let calls = 0;
    const api = new RegistryApiClient({
      baseUrl: registry.origin,
      auth: async () => ({ type: 'bearer', token: `given-${++calls}`, expiresAt: new Date(Date.now() + ttlMs) }),
      timeoutMs: 5_000,
      tokens: new BearerTokenCache(),
    });
    expect((await api.probeManifest('a/b', 'v1')).presence).toBe('present');
    expect(registry.requests.map((r) => r.authorization)).toEqual([undefined, 'Bearer given-1']);
    const before = registry.requests.length;
    expect((await api.probeManifest('a/b', 'v1')).presence).toBe('present');
    expect(registry.requests.slice(before).map((r) => r.authorization)).toEqual(secondProbe);
    expect(calls).toBe(asked);
    expect(registry.tokenRequests).toHaveLength(0);
  });

  it('an ambient login cannot answer a challenge: says so', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    const error = await failure(client(registry, { type: 'ambient' }).headBlob('a/b', LAYER_DIGEST));
    expect(error.message).toMatch(/leaves logging in to the image builder \(ambient\)/);
  });

  it('a login that cannot be read is REGISTRY_FAILED with the reason', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    const api = new RegistryApiClient({ baseUrl: registry.origin, auth: () => Promise.reject(new Error('keychain locked')), timeoutMs: 5_000 });
    expect((await failure(api.getManifest('a/b', 'v1'))).message).toBe('could not read the registry login: keychain locked');
  });
});
