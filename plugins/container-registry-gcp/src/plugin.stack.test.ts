/**
 * The gcp flavor loaded through core's plugin loader into a real stack (@stowage/testing's
 * createTestStack): `${VAR}` secrets and redaction, the uri made from project/location/repository,
 * config errors with their key paths, failures tagged by the host. The registry is the Artifact
 * Registry double on loopback (`registry_host`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '@stowage/core';
import { StowageError } from '@stowage/plugin-api';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { createTestStack } from '@stowage/testing';
import { ArtifactRegistryDouble } from './__fixtures__/ArtifactRegistryDouble.js';
import { failureOf } from './__fixtures__/flavorContext.js';
import plugin from './plugin.js';

const TOKEN = 'ya29.stack-test-token';
let double: ArtifactRegistryDouble;

beforeAll(async () => {
  double = await new ArtifactRegistryDouble({ token: TOKEN, repositories: ['stowage-test/images'] }).start();
});
afterAll(() => double?.stop());

const account = makeTestServiceAccount('builder@stowage-e2e.iam.gserviceaccount.com', 'stowage-e2e');

function stackWith(registry: Record<string, unknown>) {
  return createTestStack({
    plugins: [{ packageName: '@stowage/container-registry-gcp', plugin }],
    env: { GCP_ACCESS_TOKEN: TOKEN, GCP_SA_KEY: account.keyJson },
    config: { active_stack: 'gcp', stacks: { gcp: { image_builder: { flavor: 'fake' }, container_registry: { flavor: 'gcp', ...registry } } } },
  });
}

const onDouble = (repository = 'images') => ({ registry_host: double.address, project: 'stowage-test', location: 'europe-west1', repository, access_token: '${GCP_ACCESS_TOKEN}' });

describe('the gcp flavor in a real stack', () => {
  it('describes the uri made from project/location/repository, redacts the token, and logs in with it', async () => {
    const stack = await stackWith(onDouble());
    const component = stack.opened.stack.components.find((c) => c.key === 'container_registry')!;
    expect(component.redactedConfig).toMatchObject({ flavor: 'gcp', access_token: '***' });
    expect(component.description).toMatchObject({ uri: `${double.address}/stowage-test/images` });
    const registry = await stack.opened.components.containerRegistry!.get();
    expect(await registry.auth({ repository: 'stowage-test/images/app', actions: ['pull', 'push'] })).toEqual({ type: 'basic', username: 'oauth2accesstoken', password: TOKEN });
    await registry.prepareRepository!('stowage-test/images/app');
    const printed = stack.opened.container.resolve(TOKENS.Redactor).redact(`docker login -u oauth2accesstoken -p ${TOKEN}`);
    expect(printed).not.toContain(TOKEN);
  });

  it("redacts a service-account key, and takes the uri's project from it", async () => {
    const stack = await stackWith({ location: 'us', repository: 'images', service_account_key: '${GCP_SA_KEY}' });
    const component = stack.opened.stack.components.find((c) => c.key === 'container_registry')!;
    expect(component.redactedConfig).toMatchObject({ flavor: 'gcp', service_account_key: '***' });
    expect(JSON.stringify(component.redactedConfig)).not.toContain('PRIVATE KEY');
    expect(component.description).toMatchObject({ uri: 'us-docker.pkg.dev/stowage-e2e/images' });
  });

  it('a missing repository fails tagged with plugin, component and method, naming the gcloud command', async () => {
    const stack = await stackWith(onDouble('missing'));
    const registry = await stack.opened.components.containerRegistry!.get();
    const error = await failureOf(registry.prepareRepository!('stowage-test/missing/app'));
    expect(error).toMatchObject({ code: 'REGISTRY_FAILED', plugin: '@stowage/container-registry-gcp', component: 'gcp.container_registry', method: 'prepareRepository' });
    expect(error.format()).toContain('gcloud artifacts repositories create missing --repository-format=docker --location=europe-west1 --project=stowage-test');
  });

  it.each([
    [{ uri: 'ghcr.io/acme' }, 'stacks.gcp.container_registry.uri', 'expected an Artifact Registry repository'],
    [{ project: 'my-project', location: 'us' }, 'stacks.gcp.container_registry.repository', '`repository` is missing'],
    [{ uri: 'us-docker.pkg.dev/my-project/images', location: 'europe-west1' }, 'stacks.gcp.container_registry.location', '`location` is europe-west1 but the uri says us'],
    [{ uri: 'gcr.io/my-project', access_token: 'a', service_account_key: 'b' }, 'stacks.gcp.container_registry.access_token', 'are both set'],
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
