import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcsBed, TEST_ACCESS_TOKEN } from './__fixtures__/gcsBed.js';
import { GcsArtifactStore } from './GcsArtifactStore.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

let bed: GcsBed;

beforeAll(async () => {
  bed = await new GcsBed().start();
});
afterAll(() => bed?.stop());

const open = (extra: Record<string, unknown>) => Promise.resolve(gcsArtifactStoreFlavor.create(bed.config(extra), flavorContext(), {}));
// Without the client's retries (3, with backoff, even for a refused connection): the failure shows at once.
const openOnce = (extra: Record<string, unknown>) => GcsArtifactStore.open(bed.config(extra), { add: () => undefined }, { maxRetries: 0 });

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("failures name the store, carry Google's reason and say what to do (real client, GCS emulator)", () => {
  it('a bucket that does not exist: every method fails with the same hint (GCS tells a missing bucket from a missing object)', async () => {
    const store = await open({ path: 'gs://no-such-bucket/stowage' });
    const put = await failureOf(store.put('a.tar', 'x'));
    expect(put).toMatchObject({
      code: 'ARTIFACT_STORE_FAILED',
      message: 'could not write a.tar to gs://no-such-bucket/stowage: HTTP 404: The specified bucket does not exist.',
      hint: 'the bucket of gs://no-such-bucket/stowage does not exist: create it (`gcloud storage buckets create gs://no-such-bucket`), or fix `path`',
    });
    for (const call of [store.exists('a.tar'), store.get('a.tar'), store.list(''), store.delete('a.tar')]) {
      await expect(failureOf(call)).resolves.toMatchObject({ code: 'ARTIFACT_STORE_FAILED', hint: put.hint });
    }
    const resumable = await failureOf(store.put('b.tar', Buffer.alloc(9 * 1024 * 1024)));
    expect(resumable).toMatchObject({ message: 'could not write b.tar to gs://no-such-bucket/stowage: HTTP 404: The specified bucket does not exist.', hint: put.hint });
  });

  it('an access token GCS refuses (401): exists throws instead of answering "absent", saying what to check', async () => {
    const store = await open({ service_account_key: undefined, access_token: 'ya29.expired-token' });
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.message).toMatch(/^could not check whether a\.tar exists in gs:\/\/stowage-test\/stowage: HTTP 401: Request had invalid authentication credentials\. Expected OAuth 2 access token\. — check the credentials: `access_token`/);
    await expect(failureOf(store.put('a.tar', 'x'))).resolves.toMatchObject({ message: expect.stringContaining('HTTP 401') });
    await expect(failureOf(store.put('big.tar', Buffer.alloc(9 * 1024 * 1024)))).resolves.toMatchObject({ message: expect.stringContaining('HTTP 401') });
  });

  it('a service-account key GCS does not trust: its self-signed JWT is refused (401)', async () => {
    const store = await open({ service_account_key: makeTestServiceAccount('intruder@elsewhere.iam.gserviceaccount.com').keyJson });
    const failure = await failureOf(store.list(''));
    expect(failure.message).toContain('HTTP 401: Invalid Credentials: the JWT issuer is not a known service account');
  });

  it('an endpoint nothing listens on', async () => {
    const store = openOnce({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    const failure = await failureOf(store.list(''));
    expect(failure.message).toMatch(/^could not list "" in gs:\/\/stowage-test\/stowage: .*ECONNREFUSED/);
    expect(failure.hint).toBe('check `endpoint` (or the network) and that Cloud Storage is reachable from here');
  });

  it('a token the emulator trusts works', async () => {
    const store = await open({ service_account_key: undefined, access_token: TEST_ACCESS_TOKEN });
    const from = bed.emulator.calls.length;
    await store.put('token/a.txt', 'via token');
    await expect(store.list('token/')).resolves.toEqual(['token/a.txt']);
    expect(new Set(bed.emulator.calls.slice(from).map((c) => c.principal))).toEqual(new Set(['access-token']));
  });
});

describe("this suite's safety net", () => {
  it('the default endpoint (storage.googleapis.com) is refused by the loopback guard (vitest.setup.ts) before anything is sent', async () => {
    const store = openOnce({ endpoint: undefined });
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.message).toContain('loopback guard: storage.googleapis.com:443 is not loopback');
  });
});
