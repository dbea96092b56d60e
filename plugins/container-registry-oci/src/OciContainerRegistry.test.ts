import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, TOKENS, type RegistryCredentials } from '@stowage/core';
import { createTestStack } from '@stowage/testing';
import { FakeTokenRegistry } from './__fixtures__/FakeTokenRegistry.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { OciContainerRegistry } from './OciContainerRegistry.js';
import plugin from './plugin.js';

const DIGEST = `sha256:${'c3'.repeat(32)}`;
const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
let fake: FakeTokenRegistry;

beforeAll(async () => {
  fake = await new FakeTokenRegistry({ auth: 'bearer', ...LOGIN, manifests: { 'team/app:1': DIGEST, [`team/app:${DIGEST}`]: DIGEST } }).start();
});
afterAll(() => fake.stop());

function registry(credentials: RegistryCredentials | null = LOGIN, uri = `127.0.0.1:${fake.port}`) {
  let resolutions = 0;
  const instance = new OciContainerRegistry({
    uri,
    credentials: async () => {
      resolutions += 1;
      return credentials;
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

describe('OciContainerRegistry', () => {
  it('reports present/absent for tags and digests (plain http by default on loopback)', async () => {
    const { instance } = registry();
    expect(await instance.imageExists(`127.0.0.1:${fake.port}/team/app:1`)).toBe('present');
    expect(await instance.imageExists(`127.0.0.1:${fake.port}/team/app@${DIGEST}`)).toBe('present');
    expect(await instance.imageExists(`127.0.0.1:${fake.port}/team/app:2`)).toBe('absent');
  });

  it('reads the manifest digest, and undefined for an absent image', async () => {
    const { instance } = registry();
    expect(await instance.manifestDigest(`127.0.0.1:${fake.port}/team/app:1`)).toBe(DIGEST);
    expect(await instance.manifestDigest(`127.0.0.1:${fake.port}/team/app:2`)).toBeUndefined();
  });

  it('says unknown for an image of another registry (another port is another registry)', async () => {
    const { instance } = registry();
    expect(await instance.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
    expect(await instance.imageExists(`127.0.0.1:${fake.port + 1}/team/app:1`)).toBe('unknown');
    expect(instance.belongsToRegistry(`127.0.0.1:${fake.port}/x:1`)).toBe(true);
  });

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
  ])('belongsToRegistry: uri %s %s → %s (the reference must be <uri>/…)', (uri, reference, expected) => {
    const instance = new OciContainerRegistry({ uri, credentials: async () => null });
    expect(instance.belongsToRegistry(reference)).toBe(expected);
  });

  it('throws USAGE for a malformed reference or a digest asked of the wrong registry (caller bugs)', async () => {
    const { instance } = registry();
    expect((await caught(instance.imageExists(`127.0.0.1:${fake.port}/Team/App:1`))).code).toBe('USAGE');
    const wrong = await caught(instance.manifestDigest('ghcr.io/acme/app:1'));
    expect(wrong.code).toBe('USAGE');
    expect(wrong.message).toBe(`image ghcr.io/acme/app:1 does not belong to the container registry 127.0.0.1:${fake.port}`);
  });

  it('throws REGISTRY_FAILED with the reason when the digest cannot be read', async () => {
    const { instance } = registry({ username: 'ciuser', password: 'wrong' });
    expect(await instance.imageExists(`127.0.0.1:${fake.port}/team/app:1`)).toBe('unknown');
    const error = await caught(instance.manifestDigest(`127.0.0.1:${fake.port}/team/app:1`));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toMatch(/could not read the digest of .*token endpoint .* HTTP 401/);
    expect(error.format()).not.toContain('wrong');
  });

  it('resolves credentials once and reuses them', async () => {
    const { instance, resolutions } = registry();
    await instance.imageExists(`127.0.0.1:${fake.port}/team/app:1`);
    await instance.imageExists(`127.0.0.1:${fake.port}/other/app:1`);
    expect(await instance.credentials()).toEqual(LOGIN);
    expect(resolutions()).toBe(1);
  });

  it('uses https for non-loopback hosts unless insecure', async () => {
    // 0.0.0.0 reaches the loopback fake but is not a loopback name, so https is used: the fake
    // (plain http) cannot parse a TLS handshake, so it records no request, and the reason names
    // the https origin. Over http the same probe would reach the fake and be recorded.
    const before = fake.requests.length;
    const secure = new OciContainerRegistry({ uri: `0.0.0.0:${fake.port}`, credentials: async () => null, tokens: new BearerTokenCache() });
    expect(await secure.imageExists(`0.0.0.0:${fake.port}/team/app:1`)).toBe('unknown');
    const error = await caught(secure.manifestDigest(`0.0.0.0:${fake.port}/team/app:1`));
    expect(error.message).toContain(`could not reach https://0.0.0.0:${fake.port}`);
    expect(fake.requests.length).toBe(before);

    const insecure = new OciContainerRegistry({ uri: `0.0.0.0:${fake.port}`, insecure: true, credentials: async () => LOGIN, tokens: new BearerTokenCache() });
    expect(await insecure.imageExists(`0.0.0.0:${fake.port}/team/app:1`)).toBe('present');
    expect(fake.requests.slice(before).map((r) => r.url)).toContain('/v2/team/app/manifests/1');
  });
});

describe('the oci flavor in a real stack', () => {
  it('validates the config, redacts the password, and creates a working registry', async () => {
    const stack = await createTestStack({
      plugins: [{ packageName: '@stowage/container-registry-oci', plugin }],
      env: { REGISTRY_PASSWORD: LOGIN.password, HOME: '/nonexistent' },
      config: {
        active_stack: 'oci',
        stacks: {
          oci: {
            image_builder: { flavor: 'fake' },
            container_registry: { flavor: 'oci', uri: `127.0.0.1:${fake.port}/`, username: 'ciuser', password: '${REGISTRY_PASSWORD}' },
          },
        },
      },
    });
    const component = stack.opened.stack.components.find((c) => c.key === 'container_registry');
    expect(component?.redactedConfig).toEqual({ flavor: 'oci', uri: `127.0.0.1:${fake.port}`, username: 'ciuser', password: '***', timeout_seconds: 30 });
    expect(stack.opened.stack.secrets).toContain(LOGIN.password);
    const created = await stack.opened.container.resolve(TOKENS.ContainerRegistry).get();
    expect(await created?.imageExists(`127.0.0.1:${fake.port}/team/app:1`)).toBe('present');
  });

  it('rejects a bad uri before anything runs, as COMPONENT_CONFIG_INVALID naming the key', async () => {
    const error = await caught(
      createTestStack({
        plugins: [{ packageName: '@stowage/container-registry-oci', plugin }],
        config: { active_stack: 's', stacks: { s: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'oci', uri: 'https://ghcr.io/acme' } } } },
      }),
    );
    expect(error.code).toBe('COMPONENT_CONFIG_INVALID');
    expect(error.format()).toMatch(/stacks\.s\.container_registry\.uri/);
  });
});
