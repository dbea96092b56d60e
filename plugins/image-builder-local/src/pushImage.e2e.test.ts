import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // Refused before building, not after a full build.
    await expect(builder.imageExists(`127.0.0.1:5999/stowage-test/elsewhere:${RUN_ID}`)).resolves.toBe('absent');
  });

  it('reports Ctrl-C during a push as BUILD_CANCELLED, never as a success', async (ctx) => {
    if (!registries) return ctx.skip();
    const name = `${ANON}/stowage-test/cancel-push:${RUN_ID}`;
    // ~100 MB that gzip cannot shrink much, so the upload lasts long enough to interrupt.
    const blob = randomBytes(75 * 1024 * 1024).toString('base64');
    const abort = new AbortController();
    const request = buildRequest(name, { Dockerfile: dockerfile('scratch', 'COPY blob /blob'), blob }, { registry: fakeRegistry(ANON, null), signal: abort.signal });
    const pushEventsSeen: string[] = [];
    request.onEvent = (event) => {
      if (event.type !== 'push') return;
      pushEventsSeen.push(event.message);
      if (/: Pushing$/.test(event.message)) abort.abort();
    };
    const outcome = await builder.build(request).then((result) => result, (error: unknown) => error);
    expect(pushEventsSeen.some((m) => m.endsWith(': Pushing'))).toBe(true);
    expect(outcome).toMatchObject({ code: 'BUILD_CANCELLED', message: `pushing ${name} to ${ANON} was cancelled` });
    await expect(registryDigest(ANON, 'stowage-test/cancel-push', RUN_ID)).resolves.toBeNull();
  }, 120_000);

  it('builds FROM a parent image in the stack\'s authenticated registry with its credentials, never showing them', async (ctx) => {
    if (!registries) return ctx.skip();
    const parent = `${AUTH}/stowage-test/parent:${RUN_ID}`;
    await builder.build(buildRequest(parent, files('parent')));
    // Publish the parent with the docker CLI, logged in through a throwaway config, then drop the local copy.
    const dockerConfig = mkdtempSync(join(tmpdir(), 'stowage-docker-config-'));
    try {
      const cli = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, input: CREDENTIALS.password, stdio: 'pipe' });
      cli('login', '--username', CREDENTIALS.username, '--password-stdin', AUTH);
      cli('push', parent);
    } finally {
      rmSync(dockerConfig, { recursive: true, force: true });
    }
    const parentDigest = await registryDigest(AUTH, 'stowage-test/parent', RUN_ID, CREDENTIALS);
    pushed.push(() => deleteFromRegistry(AUTH, 'stowage-test/parent', parentDigest!, CREDENTIALS));
    await docker.getImage(parent).remove();

    const request = buildRequest(`${AUTH}/stowage-test/child:${RUN_ID}`, { Dockerfile: dockerfile(parent, 'COPY id /id'), id: 'child' }, { registry: fakeRegistry(AUTH, CREDENTIALS) });
    const result = await builder.build(request);
    pushed.push(() => deleteFromRegistry(AUTH, 'stowage-test/child', result.digest!, CREDENTIALS));
    expect(result.digest).toBe(await registryDigest(AUTH, 'stowage-test/child', RUN_ID, CREDENTIALS));
    expect(JSON.stringify(request.events)).not.toContain(CREDENTIALS.password);
  }, 60_000);
});
