import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcrEmulator, TEST_CREDENTIALS } from './EcrEmulator.js';

const REGISTRY = { address: '127.0.0.1:5999', password: 'tok-123' };
let emulator: EcrEmulator;

function client(credentials = TEST_CREDENTIALS, region = 'us-east-1'): ECRClient {
  return new ECRClient({ region, endpoint: emulator.endpoint, credentials, maxAttempts: 1 });
}

/** The SDK error a command fails with: its name, HTTP status and message. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error('expected the call to fail');
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

beforeAll(async () => {
  emulator = await EcrEmulator.start({ registry: REGISTRY, tokenTtlSeconds: 600 });
});
afterAll(() => emulator.stop());

describe('EcrEmulator, driven by @aws-sdk/client-ecr', () => {
  it('hands out the registry password as the base64 AWS:<token>, with its expiry and the registry address', async () => {
    const before = Date.now();
    const { authorizationData } = await client().send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData![0]!;
    expect(Buffer.from(data.authorizationToken!, 'base64').toString()).toBe('AWS:tok-123');
    expect(data.proxyEndpoint).toBe('http://127.0.0.1:5999');
    expect(data.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 599_000);
    expect(data.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
  });

  it('answers RepositoryNotFoundException (HTTP 400) for a missing repository, then creates it once', async () => {
    const ecr = client();
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/app'] })))).toEqual({
      name: 'RepositoryNotFoundException',
      status: 400,
      message: "The repository with name 'team/app' does not exist in the registry with id '123456789012'",
    });
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
    expect(repository).toMatchObject({ repositoryName: 'team/app', repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app', registryId: '123456789012' });
    expect(repository!.createdAt).toBeInstanceOf(Date);
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['team/app'], registryId: '123456789012' }));
    expect(repositories!.map((r) => r.repositoryArn)).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/team/app']);
    expect((await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' })))).name).toBe('RepositoryAlreadyExistsException');
  });

  it('rejects a repository name ECR would reject', async () => {
    expect((await failure(client().send(new CreateRepositoryCommand({ repositoryName: 'Team/App' })))).name).toBe('InvalidParameterException');
  });

  it('rejects a wrong secret key with InvalidSignatureException (HTTP 400), as AWS does', async () => {
    const wrong = { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' };
    expect(await failure(client(wrong).send(new GetAuthorizationTokenCommand({})))).toMatchObject({ name: 'InvalidSignatureException', status: 400, message: expect.stringContaining('The request signature we calculated does not match') });
    expect(emulator.calls.at(-1)).toEqual({ operation: 'GetAuthorizationToken', accessKeyId: undefined, error: 'InvalidSignatureException' });
  });

  it('rejects an access key it does not know with UnrecognizedClientException', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' };
    expect(await failure(client(unknown).send(new DescribeRepositoriesCommand({})))).toEqual({ name: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' });
  });

  it('rejects a signature scoped to another region', async () => {
    expect((await failure(client(TEST_CREDENTIALS, 'eu-west-1').send(new DescribeRepositoriesCommand({})))).name).toBe('InvalidSignatureException');
  });

  it('verifies the body: a request changed after signing is rejected', async () => {
    const ecr = client();
    ecr.middlewareStack.add((next) => async (args) => {
      const request = args.request as { body?: string };
      // Same length, so only the signature can tell.
      request.body = String(request.body).replace('signed', 'tamper');
      return next(args);
    }, { step: 'deserialize', name: 'tamperAfterSigning' });
    expect((await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: 'signed' })))).name).toBe('InvalidSignatureException');
    expect(emulator.repositories.names()).not.toContain('tamper');
  });

  it('answers a request without a signature with MissingAuthenticationTokenException', async () => {
    const response = await fetch(emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('takes session tokens into the signature', async () => {
    const ecr = client({ ...TEST_CREDENTIALS, sessionToken: 'session-abc' } as typeof TEST_CREDENTIALS);
    await expect(ecr.send(new DescribeRepositoriesCommand({}))).resolves.toBeDefined();
  });

  it('rejects a signature made more than 5 minutes away from its clock', async () => {
    const ahead = await EcrEmulator.start({ registry: REGISTRY, now: () => new Date(Date.now() + 10 * 60_000) });
    try {
      const ecr = new ECRClient({ region: 'us-east-1', endpoint: ahead.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      expect(await failure(ecr.send(new GetAuthorizationTokenCommand({})))).toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) });
    } finally {
      await ahead.stop();
    }
  });
});
