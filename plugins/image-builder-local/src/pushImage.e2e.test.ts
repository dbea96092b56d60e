import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuildEvent } from '@stowage/core';
import { describeWithEngine, engineDocker, loopbackRegistriesAvailable } from './__fixtures__/engineGate.js';
import {
  buildRequest,
  deleteFromRegistry,
  dockerfile,
  fakeRegistry,
  registryDigest,
  removeTestImages,
  RUN_ID,
  stowageFailure,
} from './__fixtures__/testBuilds.js';
import { LocalImageBuilder } from './LocalImageBuilder.js';
import { resolveEngineAddress } from './resolveEngineAddress.js';

const docker = engineDocker();
const builder = new LocalImageBuilder(docker, resolveEngineAddress(undefined, process.env), { buildkit: false });
const ANON = '127.0.0.1:5000';
const AUTH = '127.0.0.1:5001';
const CREDENTIALS = { username: 'ciuser', password: 'ci-pass-123' };
// Every test pushes different content, so a digest can only match if it is this push's.
const files = (name: string) => ({ Dockerfile: dockerfile('scratch', 'COPY id /id'), id: `${name}-${RUN_ID}\n` });
const pushEvents = (events: BuildEvent[]) => events.flatMap((e) => (e.type === 'push' ? [e.message] : []));

await describeWithEngine('LocalImageBuilder pushes to registries', () => {
  let registries = false;
  const pushed: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    registries = await loopbackRegistriesAvailable();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(pushed.map((remove) => remove()));
    await removeTestImages(docker);
  });

  it('pushes anonymously and returns the digest the registry reports', async (ctx) => {
    if (!registries) return ctx.skip();
    const registry = fakeRegistry(ANON, null);
    const request = buildRequest(`${ANON}/stowage-test/anon:${RUN_ID}`, files('anon'), { registry });
    const result = await builder.build(request);
    expect(result.imageName).toBe(`${ANON}/stowage-test/anon:${RUN_ID}`);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    pushed.push(() => deleteFromRegistry(ANON, 'stowage-test/anon', result.digest!));
    expect(result.digest).toBe(await registryDigest(ANON, 'stowage-test/anon', RUN_ID));
    expect(registry.prepared).toEqual(['stowage-test/anon']);
    expect(pushEvents(request.events)).toContain(`The push refers to repository [${ANON}/stowage-test/anon]`);
    expect(pushEvents(request.events).some((m) => m.startsWith(`${RUN_ID}: digest: ${result.digest!} size:`))).toBe(true);
  });

  it('pushes with basic-auth credentials from the registry', async (ctx) => {
    if (!registries) return ctx.skip();
    const registry = fakeRegistry(AUTH, CREDENTIALS);
    const result = await builder.build(buildRequest(`${AUTH}/stowage-test/auth:${RUN_ID}`, files('auth'), { registry }));
    pushed.push(() => deleteFromRegistry(AUTH, 'stowage-test/auth', result.digest!, CREDENTIALS));
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.digest).toBe(await registryDigest(AUTH, 'stowage-test/auth', RUN_ID, CREDENTIALS));
    expect(registry.prepared).toEqual(['stowage-test/auth']);
  });

  it('fails with REGISTRY_FAILED and a credentials hint on a wrong password, without leaking it', async (ctx) => {
    if (!registries) return ctx.skip();
    const registry = fakeRegistry(AUTH, { username: 'ciuser', password: 'wrong-secret-value' });
    const request = buildRequest(`${AUTH}/stowage-test/denied:${RUN_ID}`, files('denied'), { registry });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`pushing ${AUTH}/stowage-test/denied:${RUN_ID} to ${AUTH} failed: unauthorized: authentication required`);
    expect(error.hint).toContain('credentials');
    expect(JSON.stringify({ error: error.format(), events: request.events })).not.toContain('wrong-secret-value');
  });

  it('fails with REGISTRY_FAILED when the registry needs credentials and has none', async (ctx) => {
    if (!registries) return ctx.skip();
    const request = buildRequest(`${AUTH}/stowage-test/anon-denied:${RUN_ID}`, files('anon-denied'), { registry: fakeRegistry(AUTH, null) });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toContain('no basic auth credentials');
    expect(error.hint).toContain('credentials');
  });

  it('refuses to push an image named for another registry', async () => {
    const request = buildRequest(`127.0.0.1:5999/stowage-test/elsewhere:${RUN_ID}`, files('elsewhere'), { registry: fakeRegistry(ANON, null) });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`image 127.0.0.1:5999/stowage-test/elsewhere:${RUN_ID} does not belong to container registry ${ANON}`);
  });
});
