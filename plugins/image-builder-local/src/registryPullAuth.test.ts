import { describe, expect, it } from 'vitest';
import { fakeRegistry, registryHandle } from './__fixtures__/testBuilds.js';
import { engineAuthConfig } from './engineAuthConfig.js';
import { builderFor, classicOnlyOptions, pullsFromStackRegistry, registryPullAuth } from './registryPullAuth.js';

const BASIC = { type: 'basic', username: 'ciuser', password: 'ci-pass-123' } as const;

describe('registryPullAuth', () => {
  it("gives the classic builder the stack registry's pull credentials under its host", async () => {
    const registry = fakeRegistry(BASIC);
    await expect(registryPullAuth(registryHandle(registry), '127.0.0.1:5001/team/app:1')).resolves.toEqual({
      registryconfig: { '127.0.0.1:5001': { username: 'ciuser', password: 'ci-pass-123', serveraddress: '127.0.0.1:5001' } },
    });
    expect(registry.scopes).toEqual([{ repository: 'team/app', actions: ['pull'] }]);
    await expect(registryPullAuth(registryHandle(fakeRegistry(BASIC), 'ghcr.io/acme'), 'ghcr.io/acme/team/app:1')).resolves.toMatchObject({
      registryconfig: { 'ghcr.io': { username: 'ciuser' } },
    });
  });

  it('files Docker Hub credentials under the v1 index address, as the engine looks them up', async () => {
    const registry = fakeRegistry(BASIC);
    await expect(registryPullAuth(registryHandle(registry, 'docker.io/acme'), 'docker.io/acme/app:1')).resolves.toMatchObject({
      registryconfig: { 'https://index.docker.io/v1/': { username: 'ciuser' } },
    });
    expect(registry.scopes).toEqual([{ repository: 'acme/app', actions: ['pull'] }]);
  });

  it('passes a bearer token as registrytoken', async () => {
    const registry = fakeRegistry({ type: 'bearer', token: 'tok-123' });
    await expect(registryPullAuth(registryHandle(registry), '127.0.0.1:5001/app:1')).resolves.toEqual({
      registryconfig: { '127.0.0.1:5001': { registrytoken: 'tok-123' } },
    });
  });

  it('gives nothing without a registry, for anonymous or ambient auth, or to BuildKit (whose session would hand them to any host)', async () => {
    await expect(registryPullAuth(undefined, '127.0.0.1:5000/app:1')).resolves.toEqual({});
    // An image outside the stack registry (a local intermediate parses as a Docker Hub name): its login is never offered.
    const elsewhere = registryHandle(fakeRegistry(BASIC), '127.0.0.1:5001');
    await expect(registryPullAuth(elsewhere, 'stowage:p-0123456789ab-intermediate')).resolves.toEqual({});
    await expect(registryPullAuth(elsewhere, 'ghcr.io/other/app:1')).resolves.toEqual({});
    expect(elsewhere.gets).toBe(0);
    await expect(registryPullAuth(registryHandle(fakeRegistry({ type: 'anonymous' })), '127.0.0.1:5001/app:1')).resolves.toEqual({});
    await expect(registryPullAuth(registryHandle(fakeRegistry({ type: 'ambient' })), '127.0.0.1:5001/app:1')).resolves.toEqual({});
  });
});

describe('builderFor (the local builder default: BuildKit, classic only where a login must go to one registry)', () => {
  const login = { registryconfig: { '127.0.0.1:5001': { username: 'ci', password: 'ci-pass' } } };

  it('auto: BuildKit without a login to give; the classic builder with the login when one is needed', () => {
    expect(builderFor('auto', {})).toEqual({ version: '2' });
    expect(builderFor('auto', login)).toEqual(login);
  });

  it('true: BuildKit, never given the login (its session would hand it to every registry it pulls from)', () => {
    expect(builderFor(true, login)).toEqual({ version: '2' });
  });

  it('false: the classic builder, with the login when there is one', () => {
    expect(builderFor(false, login)).toEqual(login);
    expect(builderFor(false, {})).toEqual({});
  });

  it('auto: the classic builder for options BuildKit ignores (resource limits, squash)', () => {
    expect(classicOnlyOptions({ memory: 1 << 30, forcerm: true, squash: false })).toEqual(['memory']);
    expect(classicOnlyOptions({ cpuquota: 50_000, cpuperiod: 100_000 })).toEqual(['cpuperiod', 'cpuquota']);
    expect(builderFor('auto', {}, ['memory'])).toEqual({});
    expect(builderFor('auto', {}, [])).toEqual({ version: '2' });
  });
});

describe('pullsFromStackRegistry (the only pulls the login is for)', () => {
  const stack = registryHandle(fakeRegistry(BASIC), '127.0.0.1:5001/team');

  it('is true only for a FROM on the stack registry host', () => {
    expect(pullsFromStackRegistry(stack, ['python:3.11-slim'])).toBe(false);
    expect(pullsFromStackRegistry(stack, ['ghcr.io/acme/base:1', 'stowage:p-0123456789ab-intermediate'])).toBe(false);
    expect(pullsFromStackRegistry(stack, ['python:3.11-slim', '127.0.0.1:5001/team/base@sha256:' + 'a'.repeat(64)])).toBe(true);
    expect(pullsFromStackRegistry(undefined, ['127.0.0.1:5001/team/base:1'])).toBe(false);
    expect(pullsFromStackRegistry(stack, ['${BASE}'])).toBe(false);
  });
});

describe('engineAuthConfig', () => {
  it.each([
    [BASIC, { username: 'ciuser', password: 'ci-pass-123', serveraddress: 'reg.example' }],
    [{ type: 'bearer', token: 't', expiresAt: new Date(0) } as const, { registrytoken: 't' }],
    [{ type: 'anonymous' } as const, undefined],
    [{ type: 'ambient' } as const, undefined],
  ])('%j', (auth, expected) => {
    expect(engineAuthConfig(auth, 'reg.example')).toEqual(expected);
  });
});
