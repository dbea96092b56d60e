import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { BearerTokenCache, type RegistryCredentials } from '@stowage/oci';
import { digestOf, FakeManifestRegistry } from './__fixtures__/FakeManifestRegistry.js';
import { OciContainerRegistry } from './OciContainerRegistry.js';

const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] });
const DIGEST = digestOf(MANIFEST);
const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
let fake: FakeManifestRegistry;
let host = '';

beforeAll(async () => {
  fake = await new FakeManifestRegistry({ login: LOGIN, manifests: { 'team/app:1': MANIFEST } }).start();
  host = `127.0.0.1:${fake.port}`;
});
afterAll(() => fake.stop());

function registry(login: RegistryCredentials | null = LOGIN, uri = host) {
  let resolutions = 0;
  const instance = new OciContainerRegistry({
    uri,
    login: async () => {
      resolutions += 1;
      return login;
    },
    tokens: new BearerTokenCache(),
  });
  return { instance, resolutions: () => resolutions };
}

async function caught(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('OciContainerRegistry.auth', () => {
  it('is basic with the login it was given, for any scope, resolved once', async () => {
    const { instance, resolutions } = registry();
    expect(await instance.auth({ repository: 'team/app', actions: ['pull', 'push'] })).toEqual({ type: 'basic', ...LOGIN });
    expect(await instance.auth({ repository: 'other', actions: ['pull'] })).toEqual({ type: 'basic', ...LOGIN });
    await instance.imageExists(`${host}/team/app:1`);
    expect(resolutions()).toBe(1);
  });

  it('is anonymous without a login', async () => {
    expect(await registry(null).instance.auth({ repository: 'team/app', actions: ['pull'] })).toEqual({ type: 'anonymous' });
  });

  it('asks again after a failed resolution (e.g. a Docker config file being fixed)', async () => {
    let calls = 0;
    const instance = new OciContainerRegistry({
      uri: host,
      login: async () => {
        calls += 1;
        if (calls === 1) throw new StowageError('the Docker config file is not valid JSON', { code: 'REGISTRY_FAILED' });
        return LOGIN;
      },
    });
    await expect(instance.auth({ repository: 'a', actions: ['pull'] })).rejects.toMatchObject({ code: 'REGISTRY_FAILED' });
    expect(await instance.auth({ repository: 'a', actions: ['pull'] })).toEqual({ type: 'basic', ...LOGIN });
  });
});

describe('OciContainerRegistry.imageExists / resolveDigest', () => {
  it('reports present/absent for tags and digests (plain http by default on loopback), with the login', async () => {
    const { instance } = registry();
    expect(await instance.imageExists(`${host}/team/app:1`)).toBe('present');
    expect(await instance.imageExists(`${host}/team/app@${DIGEST}`)).toBe('present');
    expect(await instance.imageExists(`${host}/team/app:2`)).toBe('absent');
    expect(fake.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('ciuser:ci-pass-123').toString('base64')}`);
  });

  it('resolves the digest the registry serves, and undefined for an absent image', async () => {
    const { instance } = registry();
    expect(await instance.resolveDigest(`${host}/team/app:1`)).toBe(DIGEST);
    expect(await instance.resolveDigest(`${host}/team/app:2`)).toBeUndefined();
  });

  it('hashes the manifest when the registry leaves Docker-Content-Digest out of HEAD', async () => {
    const quiet = await new FakeManifestRegistry({ manifests: { 'team/app:1': MANIFEST }, omitDigestHeader: true }).start();
    try {
      const instance = new OciContainerRegistry({ uri: `127.0.0.1:${quiet.port}`, login: async () => null });
      expect(await instance.resolveDigest(`127.0.0.1:${quiet.port}/team/app:1`)).toBe(DIGEST);
      expect(quiet.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    } finally {
      await quiet.stop();
    }
  });

  it('says unknown for an image of another registry (another port is another registry)', async () => {
    const { instance } = registry();
    expect(await instance.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
    expect(await instance.imageExists(`127.0.0.1:${fake.port + 1}/team/app:1`)).toBe('unknown');
  });

  it('throws USAGE for a malformed reference or a digest asked of the wrong registry (caller bugs)', async () => {
    const { instance } = registry();
    expect((await caught(instance.imageExists(`${host}/Team/App:1`))).code).toBe('USAGE');
    const wrong = await caught(instance.resolveDigest('ghcr.io/acme/app:1'));
    expect(wrong.code).toBe('USAGE');
    expect(wrong.message).toBe(`image ghcr.io/acme/app:1 does not belong to the container registry ${host}`);
    expect(wrong.plugin).toBeUndefined();
  });

  it('is unknown with a wrong login, and resolveDigest throws REGISTRY_FAILED with the reason, never the password', async () => {
    const { instance } = registry({ username: 'ciuser', password: 'wrong-password' });
    expect(await instance.imageExists(`${host}/team/app:1`)).toBe('unknown');
    const error = await caught(instance.resolveDigest(`${host}/team/app:1`));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`could not read the digest of ${host}/team/app:1: http://${host} rejected the credentials (HTTP 401 after authenticating)`);
    expect(error.format()).not.toContain('wrong-password');
  });

  it('is unknown without a login on a registry that requires one', async () => {
    const error = await caught(registry(null).instance.resolveDigest(`${host}/team/app:1`));
    expect(error.message).toMatch(/requires a login and none is configured/);
  });

  it('uses https for non-loopback hosts unless insecure', async () => {
    // 0.0.0.0 reaches the loopback fake but is not a loopback name, so https is used: the fake
    // (plain http) cannot parse a TLS handshake, so it records no request, and the reason names
    // the https origin. Over http the same probe reaches the fake.
    const before = fake.requests.length;
    const secure = new OciContainerRegistry({ uri: `0.0.0.0:${fake.port}`, login: async () => null });
    const error = await caught(secure.resolveDigest(`0.0.0.0:${fake.port}/team/app:1`));
    expect(error.message).toContain(`could not reach https://0.0.0.0:${fake.port}`);
    expect(fake.requests.length).toBe(before);

    const insecure = new OciContainerRegistry({ uri: `0.0.0.0:${fake.port}`, insecure: true, login: async () => LOGIN });
    expect(await insecure.imageExists(`0.0.0.0:${fake.port}/team/app:1`)).toBe('present');
    expect(fake.requests.slice(before).map((r) => r.url)).toContain('/v2/team/app/manifests/1');
  });

  it('is unknown, naming ECONNREFUSED, when nothing listens', async () => {
    const port = await freePort();
    const instance = new OciContainerRegistry({ uri: `127.0.0.1:${port}`, login: async () => null });
    expect(await instance.imageExists(`127.0.0.1:${port}/a:1`)).toBe('unknown');
    expect((await caught(instance.resolveDigest(`127.0.0.1:${port}/a:1`))).message).toMatch(/could not reach .*ECONNREFUSED/);
  });
});

describe('OciContainerRegistry.belongsToRegistry', () => {
  it.each([
    ['ghcr.io/acme', 'ghcr.io/acme/app:1', true],
    ['ghcr.io/acme', 'GHCR.io/acme/team/app@sha256:' + 'ab'.repeat(32), true],
    ['ghcr.io/acme', 'ghcr.io/other/app:1', false],
    ['ghcr.io/acme', 'ghcr.io/acmecorp/app:1', false],
    ['ghcr.io/acme', 'ghcr.io/acme:1', false],
    ['ghcr.io/acme', 'quay.io/acme/app:1', false],
    ['ghcr.io', 'ghcr.io/anyone/app', true],
    ['127.0.0.1:5000/', '127.0.0.1:5000/stowage:abc', true],
    ['127.0.0.1:5000', '127.0.0.1:5001/stowage:abc', false],
    ['docker.io/acme', 'acme/app:1', true],
    ['docker.io/acme', 'index.docker.io/acme/app:1', true],
    ['index.docker.io/acme', 'docker.io/acme/app:1', true],
    ['docker.io/acme', 'docker.io/other/app:1', false],
    ['docker.io/library', 'python:3.12', true],
    ['docker.io', 'python:3.12', true],
  ])('uri %s, %s → %s (the reference must be <uri>/…)', (uri, reference, expected) => {
    const instance = new OciContainerRegistry({ uri, login: async () => null });
    expect(instance.belongsToRegistry(reference)).toBe(expected);
  });

  it('refuses a uri that is not host[:port][/path] with USAGE', () => {
    expect(() => new OciContainerRegistry({ uri: 'https://ghcr.io/acme', login: async () => null })).toThrow(/is not a registry uri/);
  });
});
