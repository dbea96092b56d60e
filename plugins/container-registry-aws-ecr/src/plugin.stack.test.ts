/**
 * The aws-ecr flavor loaded through core's plugin loader into a real stack (@stowage/testing's
 * createTestStack), talking to the ECR emulator (which verifies SigV4) with the real SDK client:
 * `${VAR}` secrets and redaction, the fetched token redacted, errors tagged by the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '@stowage/core';
import { StowageError } from '@stowage/plugin-api';
import { createTestStack } from '@stowage/testing';
import { TEST_CREDENTIALS, type EcrEmulator } from '@stowage/aws-ecr-emulator';
import { failureOf, REGISTRY_HOST, startEmulator } from './__fixtures__/ecrBed.js';
import plugin from './plugin.js';

let emulator: EcrEmulator;
const TOKEN = 'ecr-token-for-the-stack-test';

beforeAll(async () => {
  emulator = await startEmulator({ password: TOKEN });
});
afterAll(() => emulator?.stop());

function stackWith(registry: Record<string, unknown>, secret = TEST_CREDENTIALS.secretAccessKey) {
  return createTestStack({
    plugins: [{ packageName: '@stowage/container-registry-aws-ecr', plugin }],
    env: { ECR_SECRET: secret },
    config: { active_stack: 'aws', stacks: { aws: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'aws-ecr', ...registry } } } },
  });
}

const emulatorKeys = () => ({ uri: `${REGISTRY_HOST}/team`, endpoint: emulator.endpoint, access_key_id: TEST_CREDENTIALS.accessKeyId, secret_access_key: '${ECR_SECRET}' });

describe('the aws-ecr flavor in a real stack (ECR emulator, real SDK client)', () => {
  it('validates the config, redacts the secret key and the token, and logs in', async () => {
    const stack = await stackWith(emulatorKeys());
    const component = stack.opened.stack.components.find((c) => c.key === 'container_registry')!;
    expect(component.redactedConfig).toMatchObject({ flavor: 'aws-ecr', secret_access_key: '***' });
    expect(component.description).toMatchObject({ uri: `${REGISTRY_HOST}/team` });
    const registry = await stack.opened.components.containerRegistry!.get();
    expect(await registry.auth({ repository: 'team/app', actions: ['pull', 'push'] })).toEqual({ type: 'basic', username: 'AWS', password: TOKEN });
    const printed = stack.opened.container.resolve(TOKENS.Redactor).redact(`docker login -p ${TOKEN}`);
    expect(printed).not.toContain(TOKEN);
  });

  it('a wrong secret key fails tagged with plugin, component and method, saying what to fix', async () => {
    const stack = await stackWith(emulatorKeys(), 'not-the-secret');
    const registry = await stack.opened.components.containerRegistry!.get();
    const error = await failureOf(registry.prepareRepository!('team/app'));
    expect(error).toMatchObject({ code: 'REGISTRY_FAILED', plugin: '@stowage/container-registry-aws-ecr', component: 'aws.container_registry', method: 'prepareRepository' });
    expect(error.message).toContain('InvalidSignatureException');
    expect(error.format()).toContain('secret_access_key');
  });

  it.each([
    [{ uri: 'ghcr.io/acme' }, 'stacks.aws.container_registry.uri', 'expected an ECR registry'],
    [{ uri: REGISTRY_HOST, access_key_id: 'AKIA1' }, 'stacks.aws.container_registry.secret_access_key', '`access_key_id` is set but `secret_access_key` is not'],
  ])('rejects %j before anything runs, naming %s', async (config, keyPath, text) => {
    const error = await stackWith(config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(StowageError.isInstance(error)).toBe(true);
    expect((error as StowageError).code).toBe('COMPONENT_CONFIG_INVALID');
    expect((error as StowageError).format()).toContain(keyPath);
    expect((error as StowageError).format()).toContain(text);
  });
});
