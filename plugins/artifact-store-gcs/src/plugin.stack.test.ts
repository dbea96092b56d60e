/**
 * The gcs flavor loaded through core's plugin loader into a real stack (@stowage/testing's
 * createTestStack), talking to the GCS emulator with the real client: config validation with key
 * paths, `${VAR}` substitution and redaction of the key, core's key checks, errors tagged by the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '@stowage/core';
import { StowageError } from '@stowage/plugin-api';
import { createTestStack } from '@stowage/testing';
import { failureOf } from './__fixtures__/flavorContext.js';
import { GcsBed } from './__fixtures__/gcsBed.js';
import plugin from './plugin.js';

let bed: GcsBed;

beforeAll(async () => {
  bed = await new GcsBed().start();
});
afterAll(() => bed?.stop());

function stackWith(artifactStore: Record<string, unknown>) {
  return createTestStack({
    plugins: [{ packageName: '@stowage/artifact-store-gcs', plugin }],
    env: { GCP_SA_KEY: bed.account.keyJson },
    config: { active_stack: 'gcp', stacks: { gcp: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 'gcs', ...artifactStore } } } },
  });
}

const emulatorStore = () => ({ path: 'gs://stowage-test/project', endpoint: bed.endpoint, service_account_key: '${GCP_SA_KEY}' });

describe('the gcs flavor in a real stack (GCS emulator, real client)', () => {
  it('validates the config, redacts the key, and creates a working store at the described root', async () => {
    const stack = await stackWith(emulatorStore());
    const component = stack.opened.stack.components.find((c) => c.key === 'artifact_store')!;
    expect(component.redactedConfig).toMatchObject({ flavor: 'gcs', service_account_key: '***' });
    expect(JSON.stringify(component.redactedConfig)).not.toContain('PRIVATE KEY');
    expect(component.description).toMatchObject({ scheme: 'gs', root: 'gs://stowage-test/project', reachableFromContainers: true });
    expect(stack.opened.stack.secrets).toContain(bed.account.keyJson);
    const store = await stack.opened.components.artifactStore!.get();
    await store.put('code_uploads/abc.tar', 'archive');
    await expect(store.list('code_uploads/')).resolves.toEqual(['code_uploads/abc.tar']);
    expect(store.locate('code_uploads/abc.tar').uri).toBe('gs://stowage-test/project/code_uploads/abc.tar');
  });

  it('never lets a bad key reach GCS, and errors come back tagged with plugin, component and method', async () => {
    const stack = await stackWith(emulatorStore());
    const store = await stack.opened.components.artifactStore!.get();
    const from = bed.emulator.calls.length;
    // Core's key check throws synchronously (not a rejected promise): called inside a `then` to catch both.
    await expect(failureOf(Promise.resolve().then(() => store.put('../outside.tar', 'x')))).resolves.toMatchObject({ code: 'USAGE' });
    expect(bed.emulator.calls.length).toBe(from);
    const missing = await failureOf(store.get('code_uploads/none.tar'));
    expect(missing).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', plugin: '@stowage/artifact-store-gcs', component: 'gcp.artifact_store', method: 'get' });
  });

  it('a signed URL printed through the redactor shows no signature', async () => {
    const stack = await stackWith(emulatorStore());
    const store = await stack.opened.components.artifactStore!.get();
    const url = await store.presign!('code_uploads/abc.tar', 60);
    const printed = stack.opened.container.resolve(TOKENS.Redactor).redact(`downloading ${url}`);
    expect(printed).not.toContain(new URL(url).searchParams.get('X-Goog-Signature'));
    expect(printed).toContain('X-Goog-Signature=***');
  });

  it.each([
    [{ path: 'stowage-test/project' }, 'stacks.gcp.artifact_store.path', 'is not a gs:// path'],
    [{ path: 'gs://acme', service_account_key: '${GCP_SA_KEY}', access_token: 'ya29.x' }, 'stacks.gcp.artifact_store.access_token', 'are both set'],
    [{ path: 'gs://acme', endpont: 'http://127.0.0.1:9000' }, 'stacks.gcp.artifact_store', 'endpont'],
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
