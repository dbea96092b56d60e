import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { S3rverBed } from './__fixtures__/s3rverBed.js';
import { s3ArtifactStoreFlavor } from './plugin.js';

let bed: S3rverBed;

beforeAll(async () => {
  bed = await new S3rverBed().start();
});
afterAll(() => bed?.stop());
afterEach(() => {
  vi.unstubAllEnvs();
});

const open = (extra: Record<string, unknown>, secrets: string[] = []) => Promise.resolve(s3ArtifactStoreFlavor.create(bed.config(extra), flavorContext(secrets), {}));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('failures name the store, carry S3\'s reason and say what to do (real SDK client, s3rver: no signature checks)', () => {
  it('a bucket that does not exist', async () => {
    const store = await open({ path: 's3://no-such-bucket/stowage' });
    const put = await failureOf(store.put('a.tar', 'x'));
    expect(put).toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      message: 'could not write a.tar to s3://no-such-bucket/stowage: NoSuchBucket (HTTP 404): The specified bucket does not exist',
      hint: 'the bucket of s3://no-such-bucket/stowage does not exist: create it, or fix `path`',
    });
    await expect(failureOf(store.list(''))).resolves.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', hint: put.hint });
    await expect(failureOf(store.get('a.tar'))).resolves.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', hint: put.hint });
    // HEAD answers a missing bucket with a bare 404, as it does a missing key: `exists` cannot tell them apart.
    await expect(store.exists('a.tar')).resolves.toBe(false);
  });

  it('credentials the store refuses (403): exists throws instead of answering "absent"', async () => {
    const store = await open({ access_key_id: 'AKIAWRONGKEY', secret_access_key: 'wrong' });
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.message).toBe('could not check whether a.tar exists in s3://stowage-test/stowage: HTTP 403');
    expect(failure.hint).toMatch(/^check the credentials, and that they may use s3:\/\/stowage-test\/stowage \(s3:GetObject, s3:PutObject, s3:ListBucket/);
    await expect(failureOf(store.put('a.tar', 'x'))).resolves.toMatchObject({ message: expect.stringContaining('InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you provided does not exist in our records.') });
  });

  it('an endpoint nothing listens on', async () => {
    const store = await open({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    const failure = await failureOf(store.list(''));
    expect(failure.message).toMatch(/^could not list "" in s3:\/\/stowage-test\/stowage: .*ECONNREFUSED/);
    expect(failure.hint).toBe('check `endpoint` (or the network) and that the store is reachable from here');
  });
});

describe("this suite's safety net", () => {
  it('an endpoint off this machine is refused by the loopback guard (vitest.setup.ts) before anything is sent', async () => {
    const store = await open({ endpoint: 'https://s3.eu-west-1.amazonaws.com' });
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.message).toContain('loopback guard: s3.eu-west-1.amazonaws.com:443 is not loopback');
  });
});

describe('credentials and region from the standard AWS chains', () => {
  const chainConfig = { access_key_id: undefined, secret_access_key: undefined };

  it('takes credentials from the environment when the config has none, and registers them as secrets', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-the-chain');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session-token-from-the-chain');
    const secrets: string[] = [];
    const store = await open(chainConfig, secrets);
    await store.put('chain/a.txt', 'via env');
    await expect(store.exists('chain/a.txt')).resolves.toBe(true);
    expect(secrets).toEqual(expect.arrayContaining(['secret-from-the-chain', 'session-token-from-the-chain']));
    // Temporary credentials travel in presigned URLs: the token is one of the secrets above.
    expect(new URL(await store.presign!('chain/a.txt', 60)).searchParams.get('X-Amz-Security-Token')).toBe('session-token-from-the-chain');
  });

  it('without credentials anywhere, says how to give some (and asks no metadata service: the loopback guard would throw)', async () => {
    const store = await open(chainConfig);
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.hint).toMatch(/^give the store credentials: `access_key_id` and `secret_access_key`/);
    expect(failure.message).not.toContain('loopback guard');
  });

  it('takes the region from AWS_REGION, else us-east-1 (seen in the signing scope of a presigned URL)', async () => {
    const scope = async () => new URL(await (await open({ region: undefined })).presign!('a.tar', 60)).searchParams.get('X-Amz-Credential');
    await expect(scope()).resolves.toMatch(/\/us-east-1\/s3\/aws4_request$/);
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    await expect(scope()).resolves.toMatch(/\/eu-west-3\/s3\/aws4_request$/);
    await expect(new URL(await (await open({ region: 'ap-south-1' })).presign!('a.tar', 60)).searchParams.get('X-Amz-Credential')).toMatch(/\/ap-south-1\//);
  });
});
