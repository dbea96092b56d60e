import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuildEvent, RegistryAuth } from '@stowage/plugin-api';
import { buildRequest } from './__fixtures__/engineContexts.js';
import { describeWithEngine, engineDocker, loopbackRegistriesAvailable } from './__fixtures__/engineGate.js';
import { deleteFromRegistry, dockerfile, fakeRegistry, registryDigest, registryHandle, removeTestImages, RUN_ID, stowageFailure } from './__fixtures__/testBuilds.js';
import { LocalImageBuilder } from './LocalImageBuilder.js';
import { resolveEngineAddress } from './resolveEngineAddress.js';

const docker = engineDocker();
const ANON = '127.0.0.1:5000';
const AUTH = '127.0.0.1:5001';
const CREDENTIALS = { username: 'ciuser', password: 'ci-pass-123' };
const BASIC: RegistryAuth = { type: 'basic', ...CREDENTIALS };
// Every test pushes different content, so a digest can only match if it is this push's.
const files = (name: string) => ({ Dockerfile: dockerfile('scratch', 'COPY id /id'), id: `${name}-${RUN_ID}\n` });
const pushEvents = (events: BuildEvent[]) => events.flatMap((e) => (e.type === 'push' ? [e.message] : []));

/** A builder on the test engine whose stack registry answers `auth` with `answer`. */
function builderWith(answer: RegistryAuth, uri = answer.type === 'anonymous' ? ANON : AUTH) {
  const registry = fakeRegistry(answer);
  const builder = new LocalImageBuilder(docker, resolveEngineAddress(undefined, process.env), { buildkit: false }, registryHandle(registry, uri));
  return { registry, builder };
}

/** Builds, then pushes as the plan's separate push step does; the push's events land in the request's. */
async function buildAndPush(builder: LocalImageBuilder, request: ReturnType<typeof buildRequest>): Promise<string> {
  await builder.build(request);
  const { digest } = await builder.push({ imageName: request.imageName, signal: request.signal, onEvent: request.onEvent });
  return digest;
}

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
    const { registry, builder } = builderWith({ type: 'anonymous' });
    const request = buildRequest(`${ANON}/stowage-test/anon:${RUN_ID}`, files('anon'));
    const digest = await buildAndPush(builder, request);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    pushed.push(() => deleteFromRegistry(ANON, 'stowage-test/anon', digest));
    expect(digest).toBe(await registryDigest(ANON, 'stowage-test/anon', RUN_ID));
    expect(registry.scopes).toEqual([
      { repository: 'stowage-test/anon', actions: ['pull'] },
      { repository: 'stowage-test/anon', actions: ['pull', 'push'] },
    ]);
    expect(pushEvents(request.events)).toContain(`The push refers to repository [${ANON}/stowage-test/anon]`);
    expect(pushEvents(request.events).some((m) => m.startsWith(`${RUN_ID}: digest: ${digest} size:`))).toBe(true);
  });

  it('pushes with basic-auth credentials from the registry', async (ctx) => {
    if (!registries) return ctx.skip();
    const { builder } = builderWith(BASIC);
    const digest = await buildAndPush(builder, buildRequest(`${AUTH}/stowage-test/auth:${RUN_ID}`, files('auth')));
    pushed.push(() => deleteFromRegistry(AUTH, 'stowage-test/auth', digest, CREDENTIALS));
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(await registryDigest(AUTH, 'stowage-test/auth', RUN_ID, CREDENTIALS));
  });

  it('fails with REGISTRY_FAILED and a credentials hint on a wrong password, without leaking it', async (ctx) => {
    if (!registries) return ctx.skip();
    const { builder } = builderWith({ type: 'basic', username: 'ciuser', password: 'wrong-secret-value' });
    const request = buildRequest(`${AUTH}/stowage-test/denied:${RUN_ID}`, files('denied'));
    const error = await stowageFailure(buildAndPush(builder, request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`pushing ${AUTH}/stowage-test/denied:${RUN_ID} failed: unauthorized: authentication required`);
    expect(error.hint).toContain('credentials');
    expect(JSON.stringify({ error: error.format(), events: request.events })).not.toContain('wrong-secret-value');
  });

  it('fails with REGISTRY_FAILED when the registry needs credentials and has none', async (ctx) => {
    if (!registries) return ctx.skip();
    const { builder } = builderWith({ type: 'anonymous' });
    const error = await stowageFailure(buildAndPush(builder, buildRequest(`${AUTH}/stowage-test/anon-denied:${RUN_ID}`, files('anon-denied'))));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toContain('no basic auth credentials');
    expect(error.hint).toContain('credentials');
  });

  it('reports Ctrl-C during a push as BUILD_CANCELLED, never as a success', async (ctx) => {
    if (!registries) return ctx.skip();
    const name = `${ANON}/stowage-test/cancel-push:${RUN_ID}`;
    // ~100 MB that gzip cannot shrink much, so the upload lasts long enough to interrupt.
    const blob = randomBytes(75 * 1024 * 1024).toString('base64');
    const { builder } = builderWith({ type: 'anonymous' });
    await builder.build(buildRequest(name, { Dockerfile: dockerfile('scratch', 'COPY blob /blob'), blob }));
    const abort = new AbortController();
    const pushEventsSeen: string[] = [];
    const onEvent = (event: BuildEvent) => {
      if (event.type !== 'push') return;
      pushEventsSeen.push(event.message);
      if (/: Pushing$/.test(event.message)) abort.abort();
    };
    const outcome = await builder.push({ imageName: name, signal: abort.signal, onEvent }).then((result) => result, (error: unknown) => error);
    expect(pushEventsSeen.some((m) => m.endsWith(': Pushing'))).toBe(true);
    expect(outcome).toMatchObject({ code: 'BUILD_CANCELLED', message: `pushing ${name} was cancelled` });
    await expect(registryDigest(ANON, 'stowage-test/cancel-push', RUN_ID)).resolves.toBeNull();
  }, 120_000);

  it("builds FROM a parent image in the stack's authenticated registry with its credentials, never showing them", async (ctx) => {
    if (!registries) return ctx.skip();
    const parent = `${AUTH}/stowage-test/parent:${RUN_ID}`;
    const { builder } = builderWith(BASIC);
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

    const request = buildRequest(`${AUTH}/stowage-test/child:${RUN_ID}`, { Dockerfile: dockerfile(parent, 'COPY id /id'), id: 'child' });
    const digest = await buildAndPush(builder, request);
    pushed.push(() => deleteFromRegistry(AUTH, 'stowage-test/child', digest, CREDENTIALS));
    expect(digest).toBe(await registryDigest(AUTH, 'stowage-test/child', RUN_ID, CREDENTIALS));
    expect(JSON.stringify(request.events)).not.toContain(CREDENTIALS.password);
  }, 60_000);
});
