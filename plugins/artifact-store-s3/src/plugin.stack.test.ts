/**
 * The s3 flavor loaded through core's plugin loader into a real stack (@stowage/testing's
 * createTestStack), talking to s3rver with the real SDK client (s3rver does not verify signatures):
 * config validation with key paths, `${VAR}` substitution and redaction, core's key checks, and
 * errors tagged by the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '@stowage/core';
import { StowageError } from '@stowage/plugin-api';
import { createTestStack } from '@stowage/testing';
import { failureOf } from './__fixtures__/flavorContext.js';
import { S3rverBed } from './__fixtures__/s3rverBed.js';
import plugin from './plugin.js';

const SECRET = 'secret-key-for-s3rver';
let bed: S3rverBed;

beforeAll(async () => {
  bed = await new S3rverBed().start();
});
afterAll(() => bed?.stop());

function stackWith(artifactStore: Record<string, unknown>) {
  return createTestStack({
    plugins: [{ packageName: '@stowage/artifact-store-s3', plugin }],
    env: { S3_SECRET: SECRET },
    config: { active_stack: 'cloud', stacks: { cloud: { image_builder: { flavor: 'fake' }, artifact_store: { flavor: 's3', ...artifactStore } } } },
  });
}

const s3rverKeys = () => ({
  path: 's3://stowage-test/project',
  endpoint: bed.endpoint,
  region: 'us-east-1',
  force_path_style: true,
  access_key_id: 'S3RVER',
  secret_access_key: '${S3_SECRET}',
  request_checksum_calculation: 'when_required',
});

describe('the s3 flavor in a real stack (s3rver, real SDK client)', () => {
  it('validates the config, redacts the secret key, and creates a working store at the described root', async () => {
    const stack = await stackWith(s3rverKeys());
    const component = stack.opened.stack.components.find((c) => c.key === 'artifact_store')!;
    expect(component.redactedConfig).toMatchObject({ flavor: 's3', access_key_id: 'S3RVER', secret_access_key: '***' });
    expect(component.description).toMatchObject({ scheme: 's3', root: 's3://stowage-test/project', reachableFromContainers: true });
    expect(stack.opened.stack.secrets).toContain(SECRET);
    const store = await stack.opened.components.artifactStore!.get();
    await store.put('code_uploads/abc.tar', 'archive');
    await expect(store.list('code_uploads/')).resolves.toEqual(['code_uploads/abc.tar']);
    expect(store.locate('code_uploads/abc.tar').uri).toBe('s3://stowage-test/project/code_uploads/abc.tar');
  });

  it('never lets a bad key reach S3, and errors come back tagged with plugin, component and method', async () => {
    const stack = await stackWith(s3rverKeys());
    const store = await stack.opened.components.artifactStore!.get();
    bed.requests.length = 0;
    // Core's key check throws synchronously (not a rejected promise): called inside a `then` to catch both.
    await expect(failureOf(Promise.resolve().then(() => store.put('../outside.tar', 'x')))).resolves.toMatchObject({ code: 'USAGE' });
    expect(bed.requests).toEqual([]);
    const missing = await failureOf(store.get('code_uploads/none.tar'));
    expect(missing).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', plugin: '@stowage/artifact-store-s3', component: 'cloud.artifact_store', method: 'get' });
  });

  it('a presigned URL printed through the redactor shows no signature', async () => {
    const stack = await stackWith(s3rverKeys());
    const store = await stack.opened.components.artifactStore!.get();
    const url = await store.presign!('code_uploads/abc.tar', 60);
    const printed = stack.opened.container.resolve(TOKENS.Redactor).redact(`downloading ${url}`);
    expect(printed).not.toContain(new URL(url).searchParams.get('X-Amz-Signature'));
    expect(printed).toContain('X-Amz-Signature=***');
  });

  it.each([
    [{ path: 'acme/stowage' }, 'stacks.cloud.artifact_store.path', 'is not an s3:// path'],
    [{ path: 's3://acme', access_key_id: 'AKIA1' }, 'stacks.cloud.artifact_store.secret_access_key', '`access_key_id` is set but `secret_access_key` is not'],
    [{ path: 's3://acme', endpont: 'http://127.0.0.1:9000' }, 'stacks.cloud.artifact_store', 'endpont'],
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
