import { describe, expect, it } from 'vitest';
import { createContextArchive } from '@stowage/core';
import type { BuildContextSource } from '@stowage/plugin-api';
import { countingContext, fakeRegistry, flavorContext, registryHandle, requestFor, stowageFailure } from './__fixtures__/testBuilds.js';
import { LocalImageBuilderConfigSchema } from './config.js';
import { localImageBuilderFlavor } from './plugin.js';

// No engine needed: these fail before or at the connection. Created the way a stack creates it.
const config = LocalImageBuilderConfigSchema.parse({ docker_host: 'unix:///nonexistent.sock' });
const env = { DOCKER_HOST: 'unix:///var/run/docker.sock' };
const classic = LocalImageBuilderConfigSchema.parse({ docker_host: 'unix:///nonexistent.sock', buildkit: false });
const withRegistry = (registry = fakeRegistry({ type: 'basic', username: 'ci', password: 'ci-pass' }), builderConfig = classic) => {
  const handle = registryHandle(registry);
  return { registry, handle, builder: localImageBuilderFlavor.create(builderConfig, flavorContext(env), { registry: handle }) };
};

/** A context whose Dockerfile (its first entry, as Stowage writes contexts) starts FROM `parent`. */
function contextFrom(parent: string): BuildContextSource {
  return {
    open: () => createContextArchive({ selection: null, extraFiles: [{ path: 'Dockerfile', content: `FROM ${parent}\nRUN true\n` }] }),
    digest: async () => 'sha256:not-used-by-the-builder',
  };
}
const builder = await localImageBuilderFlavor.create(config, flavorContext(env), { registry: undefined });

describe('LocalImageBuilder without an engine', () => {
  it('raises ENGINE_UNAVAILABLE naming the address and how to start an engine', async () => {
    const error = await stowageFailure(builder.build(requestFor('app:1', countingContext())));
    expect(error.code).toBe('ENGINE_UNAVAILABLE');
    expect(error.message).toBe('No Docker engine answers at unix:///nonexistent.sock (docker_host): no such socket');
    expect(error.hint).toContain('sudo systemctl start docker');
    expect(error.hint).toContain('dockerd');
    expect(error.hint).toContain('DOCKER_HOST');
    expect(error.hint).toContain('tooling/e2e/scripts/engine.sh up');
    expect(error.exitCode).toBe(1);
    // Plugins name no plugin: the host tags errors with the plugin, component and method.
    expect(error.plugin).toBeUndefined();
  });

  it('says "unknown" when asked whether an image exists', async () => {
    await expect(builder.imageExists!('app:1')).resolves.toBe('unknown');
  });

  it('rejects bad builder options, naming the key, before opening the build context', async () => {
    const context = countingContext();
    const error = await stowageFailure(builder.build(requestFor('app:1', context, { builderOptions: { cpu_quota: 10, cpuperiod: 5 } })));
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.message).toBe('unknown builder option "cpuperiod"');
    expect(error.details).toEqual(['builder option "cpu_quota" must be at least 1000 (1 ms)']);
    expect(error.hint).toContain('cpu_period, cpu_quota');
    expect(context.opened).toBe(0);
  });

  it('refuses an in-build push: its push is a separate step', async () => {
    const context = countingContext();
    const error = await stowageFailure(builder.build(requestFor('127.0.0.1:5000/app:1', context, { push: true })));
    expect(error.code).toBe('CAPABILITY_MISSING');
    expect(context.opened).toBe(0);
  });

  it('reports an already-cancelled build as BUILD_CANCELLED without contacting the registry or the engine', async () => {
    const abort = new AbortController();
    abort.abort();
    const { handle, builder: created } = withRegistry();
    const context = countingContext();
    const error = await stowageFailure((await created).build(requestFor('127.0.0.1:5000/app:1', context, { signal: abort.signal })));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(error.message).toBe('building image 127.0.0.1:5000/app:1 was cancelled');
    // The engine is unreachable here, so its error would also be reported as cancelled: only an
    // unopened context (and an unasked registry) shows the build stopped before reaching for it.
    expect(context.opened).toBe(0);
    expect(handle.gets).toBe(0);
  });

  it('asks the stack registry for pull credentials of the image repository before building (classic builder)', async () => {
    const { registry, builder: created } = withRegistry();
    const context = countingContext();
    await stowageFailure((await created).build(requestFor('127.0.0.1:5001/team/app:1', context)));
    expect(registry.scopes).toEqual([{ repository: 'team/app', actions: ['pull'] }]);
    expect(context.opened).toBe(1);
  });

  it('buildkit auto: the login is asked for only when the Dockerfile pulls from the stack registry (then the classic builder gets it)', async () => {
    const elsewhere = withRegistry(undefined, config);
    await stowageFailure((await elsewhere.builder).build(requestFor('127.0.0.1:5001/team/app:1', contextFrom('python:3.11-slim'))));
    expect(elsewhere.registry.scopes).toEqual([]);
    const stackParent = withRegistry(undefined, config);
    await stowageFailure((await stackParent.builder).build(requestFor('127.0.0.1:5001/team/app:1', contextFrom('127.0.0.1:5001/team/base:1'))));
    expect(stackParent.registry.scopes).toEqual([{ repository: 'team/app', actions: ['pull'] }]);
  });

  it('buildkit true never asks for the login (BuildKit is never given it)', async () => {
    const buildkit = withRegistry(undefined, LocalImageBuilderConfigSchema.parse({ docker_host: 'unix:///nonexistent.sock', buildkit: true }));
    await stowageFailure((await buildkit.builder).build(requestFor('127.0.0.1:5001/team/app:1', contextFrom('127.0.0.1:5001/team/base:1'))));
    expect(buildkit.registry.scopes).toEqual([]);
  });

  it('reports a registry whose credentials fail as REGISTRY_FAILED before building', async () => {
    const { builder: created } = withRegistry(fakeRegistry(() => Promise.reject(new Error('secret store locked'))), classic);
    const context = countingContext();
    const error = await stowageFailure((await created).build(requestFor('127.0.0.1:5001/team/app:1', context)));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe('asking the container registry (fake) for pull credentials for team/app failed: secret store locked');
    expect(context.opened).toBe(0);
  });
});

describe('LocalImageBuilder.push without an engine', () => {
  it('asks the registry for pull and push credentials of the repository, then fails to reach the engine', async () => {
    const { registry, builder: created } = withRegistry();
    const error = await stowageFailure((await created).push!({ imageName: '127.0.0.1:5001/team/app:1', signal: new AbortController().signal, onEvent: () => {} }));
    expect(error.code).toBe('ENGINE_UNAVAILABLE');
    expect(registry.scopes).toEqual([{ repository: 'team/app', actions: ['pull', 'push'] }]);
  });

  it('refuses to push without a registry in the stack', async () => {
    const error = await stowageFailure(builder.push!({ imageName: '127.0.0.1:5001/team/app:1', signal: new AbortController().signal, onEvent: () => {} }));
    expect(error.code).toBe('STACK_INVALID');
    expect(error.message).toBe('cannot push 127.0.0.1:5001/team/app:1: the stack has no container registry');
  });

  it('reports a push cancelled before it started as BUILD_CANCELLED without asking the registry', async () => {
    const abort = new AbortController();
    abort.abort();
    const { handle, builder: created } = withRegistry();
    const error = await stowageFailure((await created).push!({ imageName: '127.0.0.1:5001/team/app:1', signal: abort.signal, onEvent: () => {} }));
    expect(error).toMatchObject({ code: 'BUILD_CANCELLED', message: 'pushing 127.0.0.1:5001/team/app:1 was cancelled' });
    expect(handle.gets).toBe(0);
  });
});
