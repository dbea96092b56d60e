import { describe, expect, it } from 'vitest';
import { fakeRegistry } from './__fixtures__/testBuilds.js';
import { registryConfigKey, registryPullAuth } from './registryPullAuth.js';

const CREDENTIALS = { username: 'ciuser', password: 'ci-pass-123' };

describe('registryPullAuth', () => {
  it('gives the classic builder the stack registry\'s credentials under its host', async () => {
    await expect(registryPullAuth(fakeRegistry('127.0.0.1:5001', CREDENTIALS), false)).resolves.toEqual({
      registryconfig: { '127.0.0.1:5001': CREDENTIALS },
    });
    await expect(registryPullAuth(fakeRegistry('ghcr.io/acme/team', CREDENTIALS), false)).resolves.toEqual({
      registryconfig: { 'ghcr.io': CREDENTIALS },
    });
  });

  it('gives nothing without a registry, without credentials, or to BuildKit (whose session would hand them to any host)', async () => {
    await expect(registryPullAuth(undefined, false)).resolves.toEqual({});
    await expect(registryPullAuth(fakeRegistry('127.0.0.1:5000', null), false)).resolves.toEqual({});
    await expect(registryPullAuth(fakeRegistry('127.0.0.1:5001', CREDENTIALS), true)).resolves.toEqual({});
  });

  it.each([
    ['127.0.0.1:5001', '127.0.0.1:5001'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['https://registry.example/team', 'registry.example'],
    // The engine files Docker Hub credentials under the v1 index address.
    ['docker.io/acme', 'https://index.docker.io/v1/'],
    ['index.docker.io/acme', 'https://index.docker.io/v1/'],
  ])('keys %s as %s', (uri, key) => {
    expect(registryConfigKey(uri)).toBe(key);
  });
});
