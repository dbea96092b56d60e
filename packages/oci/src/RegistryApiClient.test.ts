import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTokenRegistry, type FakeTokenRegistryOptions } from './__fixtures__/FakeTokenRegistry.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { MANIFEST_ACCEPT, RegistryApiClient } from './RegistryApiClient.js';
import type { RegistryCredentials } from './RegistryCredentials.js';

const DIGEST = `sha256:${'b2'.repeat(32)}`;
const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
const running: FakeTokenRegistry[] = [];

async function fakeRegistry(options: FakeTokenRegistryOptions): Promise<FakeTokenRegistry> {
  const registry = await new FakeTokenRegistry({ manifests: { 'a/b:1.0': DIGEST }, ...options }).start();
  running.push(registry);
  return registry;
}

function client(registry: { origin: string }, credentials: RegistryCredentials | null, tokens = new BearerTokenCache(), timeoutMs = 5_000) {
  const auth = async () => (credentials ? { type: 'basic' as const, ...credentials } : { type: 'anonymous' as const });
  return new RegistryApiClient({ baseUrl: registry.origin, auth, timeoutMs, tokens });
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

describe('RegistryApiClient.probeManifest — Bearer token flow', () => {
  it('answers the challenge with a token fetched with basic credentials, and finds the manifest', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    expect(await client(registry, LOGIN).probeManifest('a/b', '1.0')).toEqual({ presence: 'present', digest: DIGEST });
    const [tokenRequest] = registry.tokenRequests;
    expect(tokenRequest?.url).toBe('/token?service=fake-registry&scope=repository%3Aa%2Fb%3Apull');
    expect(tokenRequest?.authorization).toBe(`Basic ${Buffer.from('ciuser:ci-pass-123').toString('base64')}`);
    expect(registry.requests.at(-1)?.authorization).toBe('Bearer tok-1');
  });

  it('tells absent (404) from present once authenticated', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    expect(await client(registry, LOGIN).probeManifest('a/b', 'missing')).toEqual({ presence: 'absent' });
  });

  it('fetches an anonymous token when there is no login, and reads `access_token`', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, anonymousTokens: true, tokenField: 'access_token' });
    expect((await client(registry, null).probeManifest('a/b', '1.0')).presence).toBe('present');
    expect(registry.tokenRequests[0]?.authorization).toBeUndefined();
  });

  it('is unknown (never present) when the token endpoint rejects the password', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const probe = await client(registry, { username: 'ciuser', password: 'wrong' }).probeManifest('a/b', '1.0');
    expect(probe.presence).toBe('unknown');
    expect(probe.reason).toMatch(/token endpoint .*\/token answered HTTP 401/);
    expect(probe.reason).not.toContain('wrong');
  });

  it('caches the token per scope: later probes of the repository need no token request and no 401', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const tokens = new BearerTokenCache();
    await client(registry, LOGIN, tokens).probeManifest('a/b', '1.0');
    const before = registry.requests.length;
    // A second client (another component of the process) shares the cache.
    expect((await client(registry, LOGIN, tokens).probeManifest('a/b', 'missing')).presence).toBe('absent');
    expect(registry.tokenRequests).toHaveLength(1);
    expect(registry.requests.length - before).toBe(2); // one 401 (this client has no remembered header) + the retry
    const same = client(registry, LOGIN, tokens);
    await same.probeManifest('a/b', '1.0');
    const afterFirst = registry.requests.length;
    await same.probeManifest('a/b', '1.0');
    expect(registry.requests.length - afterFirst).toBe(1);
  });

  it('fetches a fresh token when the remembered one has expired', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN });
    const api = client(registry, LOGIN);
    await api.probeManifest('a/b', '1.0');
    registry.revokeTokens();
    expect(await api.probeManifest('a/b', '1.0')).toEqual({ presence: 'present', digest: DIGEST });
    expect(registry.tokenRequests).toHaveLength(2);
  });

  it('does not share tokens between different logins', async () => {
    const registry = await fakeRegistry({ auth: 'bearer', ...LOGIN, anonymousTokens: true });
    const tokens = new BearerTokenCache();
    await client(registry, null, tokens).probeManifest('a/b', '1.0');
    await client(registry, LOGIN, tokens).probeManifest('a/b', '1.0');
    expect(registry.tokenRequests.map((r) => r.authorization !== undefined)).toEqual([false, true]);
  });
});

describe('RegistryApiClient.probeManifest — Basic and no auth', () => {
  it('retries with basic credentials on a Basic challenge', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    expect((await client(registry, LOGIN).probeManifest('a/b', '1.0')).presence).toBe('present');
  });

  it('is unknown without a login, or with a wrong one', async () => {
    const registry = await fakeRegistry({ auth: 'basic', ...LOGIN });
    expect(await client(registry, null).probeManifest('a/b', '1.0')).toMatchObject({ presence: 'unknown', reason: expect.stringMatching(/requires a login/) });
    const wrong = await client(registry, { username: 'ciuser', password: 'nope' }).probeManifest('a/b', '1.0');
    expect(wrong).toMatchObject({ presence: 'unknown', reason: expect.stringMatching(/rejected the credentials/) });
  });

  it('asks for every manifest media type docker and buildx push', async () => {
    const registry = await fakeRegistry({ auth: 'none' });
    await client(registry, null).probeManifest('a/b', DIGEST);
    expect(registry.requests[0]).toMatchObject({ method: 'HEAD', url: `/v2/a/b/manifests/${DIGEST}`, accept: MANIFEST_ACCEPT });
    for (const type of ['oci.image.index.v1', 'oci.image.manifest.v1', 'docker.distribution.manifest.list.v2', 'docker.distribution.manifest.v2']) {
      expect(MANIFEST_ACCEPT).toContain(`application/vnd.${type}+json`);
    }
  });

  it.each([403, 500, 503])('is unknown on HTTP %i', async (status) => {
    const registry = await fakeRegistry({ auth: 'none', manifestStatus: status });
    expect(await client(registry, null).probeManifest('a/b', '1.0')).toMatchObject({ presence: 'unknown', reason: expect.stringContaining(`HTTP ${status}`) });
  });
});

describe('RegistryApiClient.probeManifest — unreachable', () => {
  it('is unknown, naming ECONNREFUSED, when nothing listens', async () => {
    const port = await freePort();
    const probe = await client({ origin: `http://127.0.0.1:${port}` }, null).probeManifest('a/b', '1.0');
    expect(probe).toMatchObject({ presence: 'unknown', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('is unknown after the timeout when the registry never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const probe = await client({ origin: `http://127.0.0.1:${port}` }, null, undefined, 200).probeManifest('a/b', '1.0');
      expect(probe).toMatchObject({ presence: 'unknown', reason: expect.stringContaining('no answer within 0.2 s') });
    } finally {
      silent.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
