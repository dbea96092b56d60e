import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, type EcrEmulator } from '@stowage/aws-ecr-emulator';
import { ACCOUNT, configFor, failureOf, flavorContext, REGISTRY_HOST, startEmulator } from './__fixtures__/ecrBed.js';
import { EcrContainerRegistry } from './EcrContainerRegistry.js';
import { createEcrClient } from './createEcrClient.js';
import { REFRESH_MARGIN_MS } from './EcrLogin.js';

let emulator: EcrEmulator;
const SCOPE = { repository: 'team/app', actions: ['pull', 'push'] } as const;
const operations = () => emulator.calls.map((c) => (c.error ? `${c.operation}: ${c.error}` : c.operation));

beforeAll(async () => {
  emulator = await startEmulator({ tokenTtlSeconds: 4 * 3600 });
});
afterEach(() => void emulator.calls.splice(0));
afterAll(() => emulator.stop());

function registry(overrides: Record<string, unknown> = {}, now?: () => number, secrets: string[] = []) {
  const config = configFor(emulator, overrides);
  return new EcrContainerRegistry(createEcrClient(config, flavorContext(secrets).secrets), { uri: config.uri, secrets: { add: (s) => void secrets.push(s) }, ...(now ? { now } : {}) });
}

describe('EcrContainerRegistry with @aws-sdk/client-ecr against the ECR emulator', () => {
  it('logs in as AWS with the token of GetAuthorizationToken, fetched once and registered as a secret', async () => {
    const secrets: string[] = [];
    const ecr = registry({}, undefined, secrets);
    expect(await ecr.auth(SCOPE)).toEqual({ type: 'basic', username: 'AWS', password: 'ecr-token-0001' });
    expect(await ecr.auth({ repository: 'other', actions: ['pull'] })).toEqual({ type: 'basic', username: 'AWS', password: 'ecr-token-0001' });
    expect(operations()).toEqual(['GetAuthorizationToken']);
    expect(emulator.calls[0]!.accessKeyId).toBe('AKIASTOWAGETEST00001');
    expect(secrets).toContain('ecr-token-0001');
  });

  it('shares one GetAuthorizationToken between concurrent callers', async () => {
    const ecr = registry();
    await Promise.all([ecr.auth(SCOPE), ecr.auth(SCOPE), ecr.auth(SCOPE)]);
    expect(operations()).toEqual(['GetAuthorizationToken']);
  });

  it(`fetches a new token ${REFRESH_MARGIN_MS / 60_000} minutes before the old one expires, not earlier`, async () => {
    let clock = Date.now();
    const ecr = registry({}, () => clock);
    await ecr.auth(SCOPE);
    const expiresAt = clock + 4 * 3600_000; // the emulator's token lifetime here
    clock = expiresAt - REFRESH_MARGIN_MS - 60_000;
    await ecr.auth(SCOPE);
    expect(operations()).toEqual(['GetAuthorizationToken']);
    clock = expiresAt - REFRESH_MARGIN_MS + 60_000;
    await ecr.auth(SCOPE);
    expect(operations()).toEqual(['GetAuthorizationToken', 'GetAuthorizationToken']);
  });

  it('creates a missing repository once, and leaves an existing one alone', async () => {
    const ecr = registry();
    await ecr.prepareRepository('team/created');
    await ecr.prepareRepository('team/created');
    expect(emulator.repositories.names()).toContain('team/created');
    expect(operations()).toEqual(['DescribeRepositories: RepositoryNotFoundException', 'CreateRepository', 'DescribeRepositories']);
  });

  it('takes a repository created in between (RepositoryAlreadyExistsException) as done', async () => {
    const ecr = registry();
    const describe = emulator.repositories.describe.bind(emulator.repositories);
    // Another pusher creates it between our look-up and our create.
    emulator.repositories.describe = (input) => {
      try {
        return describe(input);
      } finally {
        emulator.repositories.create({ repositoryName: 'team/raced' });
      }
    };
    try {
      await ecr.prepareRepository('team/raced');
    } finally {
      emulator.repositories.describe = describe;
    }
    expect(operations()).toEqual(['DescribeRepositories: RepositoryNotFoundException', 'CreateRepository: RepositoryAlreadyExistsException']);
  });

  it('fails with a clear REGISTRY_FAILED when the secret key is wrong (SigV4 rejected), without showing it', async () => {
    const ecr = registry({ secret_access_key: 'wrong-secret-key-value' });
    const error = await failureOf(ecr.auth(SCOPE));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(
      `could not get a login for ${REGISTRY_HOST} from ECR (GetAuthorizationToken): InvalidSignatureException (HTTP 400): The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`,
    );
    expect(error.hint).toContain('`secret_access_key`');
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-secret-key-value');
    expect(operations()).toEqual(['GetAuthorizationToken: InvalidSignatureException']);
    // Not cached: the next call asks again.
    await failureOf(ecr.auth(SCOPE));
    expect(operations()).toHaveLength(2);
  });

  it('says when AWS does not know the access key', async () => {
    const error = await failureOf(registry({ access_key_id: 'AKIANOTKNOWN00000000' }).prepareRepository('team/app'));
    expect(error.message).toContain(`could not look up repository team/app in ${REGISTRY_HOST}: UnrecognizedClientException (HTTP 400)`);
    expect(error.hint).toMatch(/does not know this access key/);
  });

  it('without keys in the config, uses the standard AWS chain and registers what it found as secrets', async () => {
    const config = configFor(emulator, { access_key_id: undefined, secret_access_key: undefined });
    const secrets: string[] = [];
    process.env['AWS_ACCESS_KEY_ID'] = TEST_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = TEST_CREDENTIALS.secretAccessKey;
    try {
      const ecr = EcrContainerRegistry.fromConfig(config, flavorContext(secrets));
      expect(await ecr.auth(SCOPE)).toMatchObject({ type: 'basic', username: 'AWS' });
    } finally {
      delete process.env['AWS_ACCESS_KEY_ID'];
      delete process.env['AWS_SECRET_ACCESS_KEY'];
    }
    expect(secrets).toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(emulator.calls.map((c) => c.accessKeyId)).toEqual([TEST_CREDENTIALS.accessKeyId]);
  });

  it('does not ask about images of other registries', async () => {
    const ecr = registry();
    expect(await ecr.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
    expect((await failureOf(ecr.resolveDigest('ghcr.io/acme/app:1'))).code).toBe('USAGE');
    expect(await ecr.imageExists(`999999999999.dkr.ecr.us-east-1.amazonaws.com/app:1`)).toBe('unknown');
    expect(operations()).toEqual([]);
  });

  it('names the account of the uri as registryId', async () => {
    await registry().prepareRepository('team/account');
    expect(emulator.repositories.describe({ registryId: ACCOUNT, repositoryNames: ['team/account'] }).repositories).toHaveLength(1);
  });
});
