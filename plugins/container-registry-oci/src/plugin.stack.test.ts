/**
 * The oci flavor loaded through core's plugin loader into a real stack (@stowage/testing's
 * createTestStack): config validation with key paths, `${VAR}` substitution, password redaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { createTestStack } from '@stowage/testing';
import { digestOf, FakeManifestRegistry } from './__fixtures__/FakeManifestRegistry.js';
import plugin from './plugin.js';

const MANIFEST = '{"schemaVersion":2}';
const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
let fake: FakeManifestRegistry;

beforeAll(async () => {
  fake = await new FakeManifestRegistry({ login: LOGIN, manifests: { 'team/app:1': MANIFEST } }).start();
});
afterAll(() => fake.stop());

async function caught(promise: Promise<unknown>): Promise<StowageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!StowageError.isInstance(error)) throw new Error(`expected a StowageError, got ${String(error)}`);
  return error;
}

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
    const created = await stack.opened.components.containerRegistry?.get();
    expect(await created?.imageExists(`127.0.0.1:${fake.port}/team/app:1`)).toBe('present');
    expect(await created?.resolveDigest(`127.0.0.1:${fake.port}/team/app:1`)).toBe(digestOf(MANIFEST));
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
