import { describe, expect, it, vi } from 'vitest';
import { NodeProcessRunner } from '@stowage/core';
import { buildRequest, fakeRegistry, stowageFailure } from './__fixtures__/testBuilds.js';
import { LocalImageBuilderConfigSchema } from './config.js';
import { localImageBuilderFlavor } from './plugin.js';

// No engine needed: these fail before or at the connection. Created the way a stack creates it.
const builder = await localImageBuilderFlavor.create(LocalImageBuilderConfigSchema.parse({ docker_host: 'unix:///nonexistent.sock' }), {
  stackName: 'default',
  componentKey: 'image_builder',
  projectRoot: '/tmp',
  runner: new NodeProcessRunner(),
  env: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
});
const files = { Dockerfile: 'FROM scratch\n' };

describe('LocalImageBuilder without an engine', () => {
  it('raises ENGINE_UNAVAILABLE naming the address and how to start an engine', async () => {
    const error = await stowageFailure(builder.build(buildRequest('app:1', files)));
    expect(error.code).toBe('ENGINE_UNAVAILABLE');
    expect(error.message).toBe('No Docker engine answers at unix:///nonexistent.sock (docker_host): no such socket');
    expect(error.hint).toContain('sudo systemctl start docker');
    expect(error.hint).toContain('dockerd');
    expect(error.hint).toContain('DOCKER_HOST');
    expect(error.hint).toContain('tooling/e2e/scripts/engine.sh up');
    expect(error.exitCode).toBe(1);
  });

  it('says "unknown" when asked whether an image exists', async () => {
    await expect(builder.imageExists!('app:1')).resolves.toBe('unknown');
  });

  it('rejects unsupported build options before opening the build context', async () => {
    const request = buildRequest('app:1', files, { options: { no_cache: true } });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.message).toBe('unknown build option "no_cache" (did you mean "nocache"?)');
    expect((request.context as unknown as { opened: number }).opened).toBe(0);
  });

  it('reports an already-cancelled build as BUILD_CANCELLED without contacting the engine', async () => {
    const abort = new AbortController();
    abort.abort();
    const registry = fakeRegistry('127.0.0.1:5000', null);
    const request = buildRequest('127.0.0.1:5000/app:1', files, { signal: abort.signal, registry });
    const credentials = vi.spyOn(registry, 'credentials');
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(error.message).toBe('building image 127.0.0.1:5000/app:1 was cancelled');
    // The engine is unreachable here, so its error would also be reported as cancelled: only an
    // unopened context (and an unasked registry) shows the build stopped before reaching for it.
    expect((request.context as unknown as { opened: number }).opened).toBe(0);
    expect(credentials).not.toHaveBeenCalled();
  });

  it('refuses an image named for another registry before building', async () => {
    const request = buildRequest('127.0.0.1:5999/team/app:1', files, { registry: fakeRegistry('127.0.0.1:5000', null) });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe('image 127.0.0.1:5999/team/app:1 does not belong to container registry 127.0.0.1:5000');
    expect((request.context as unknown as { opened: number }).opened).toBe(0);
  });

  it('reports a registry whose credentials fail as REGISTRY_FAILED before building', async () => {
    const registry = fakeRegistry('127.0.0.1:5001', null);
    registry.credentials = () => Promise.reject(new Error('secret store locked'));
    const request = buildRequest('127.0.0.1:5001/team/app:1', files, { registry });
    const error = await stowageFailure(builder.build(request));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe('reading the credentials of container registry 127.0.0.1:5001 failed: secret store locked');
    expect((request.context as unknown as { opened: number }).opened).toBe(0);
  });
});
