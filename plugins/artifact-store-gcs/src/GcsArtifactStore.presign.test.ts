import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { gateRealTool, probe } from '@stowage/testing';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcsBed, TEST_ACCESS_TOKEN } from './__fixtures__/gcsBed.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

const run = promisify(execFile);
// What the in-image bootstrap does: Python's standard library, no headers of its own.
const URLLIB_GET = 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())';
const hasPython = await probe(['python3', '--version']);

let bed: GcsBed;
let store: ArtifactStore;
const secrets: string[] = [];
const archive = randomBytes(300_000);

beforeAll(async () => {
  bed = await new GcsBed().start();
  store = await gcsArtifactStoreFlavor.create(bed.config(), flavorContext(secrets), {});
  await store.put('code_uploads/app.tar.gz', archive, { contentType: 'application/gzip' });
});
afterAll(() => bed?.stop());

describe("presign (the client's V4 signer; the emulator verifies the signature with the account's public key)", () => {
  it('gives a GET URL that fetch reads without credentials, signed over the host alone, living exactly the TTL', async () => {
    const url = new URL(await store.presign!('code_uploads/app.tar.gz', 300));
    expect(`${url.origin}${url.pathname}`).toBe(`${bed.endpoint}/stowage-test/stowage/code_uploads/app.tar.gz`);
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('300');
    expect(url.searchParams.get('X-Goog-Credential')).toMatch(new RegExp(`^${bed.account.email}/\\d{8}/auto/storage/goog4_request$`));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(archive)).toBe(true);
    expect(bed.emulator.calls.at(-1)).toMatchObject({ operation: 'xml.get', principal: bed.account.email, status: 200 });
  });

  it('a URL changed to read another object is refused (403 SignatureDoesNotMatch)', async () => {
    const url = new URL(await store.presign!('code_uploads/app.tar.gz', 300));
    url.pathname = '/stowage-test/stowage/code_uploads/other.tar.gz';
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it("registers each URL's signature as a secret, so no output shows a usable URL", async () => {
    const url = await store.presign!('code_uploads/app.tar.gz', 60);
    expect(secrets).toContain(new URL(url).searchParams.get('X-Goog-Signature'));
  });

  if (gateRealTool('python3', hasPython, 'apt-get install -y python3')) {
    it("is read by Python's urllib, as the in-image bootstrap reads it", async () => {
      const url = await store.presign!('code_uploads/app.tar.gz', 300);
      // No proxy variables: a proxy would take the loopback request elsewhere.
      const { stdout } = await run('python3', ['-c', URLLIB_GET, url], { encoding: 'buffer', env: { PATH: process.env.PATH, NO_PROXY: '*', no_proxy: '*' } });
      expect(Buffer.compare(stdout, archive)).toBe(0);
    });
  }

  it('presigns a key that does not exist (the GET then answers 404 NoSuchKey)', async () => {
    const response = await fetch(await store.presign!('code_uploads/missing.tar.gz', 60));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('expires: a URL of 1 second is refused 2 seconds later (400 ExpiredToken, as GCS answers)', async () => {
    const url = await store.presign!('code_uploads/app.tar.gz', 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>ExpiredToken</Code>');
  });

  it.each([0, -5, 1.5, 604_801])('refuses a lifetime of %s seconds (V4 allows 1 s to 7 days) as USAGE', async (ttl) => {
    const failure = await failureOf(store.presign!('code_uploads/app.tar.gz', ttl));
    expect([failure.code, failure.message]).toEqual(['USAGE', `a signed GCS URL lives 1 to 604800 seconds (7 days), not ${ttl}`]);
  });

  it('with only an access token, says that signing needs a service-account key, and asks no one', async () => {
    const tokenStore = await gcsArtifactStoreFlavor.create(bed.config({ service_account_key: undefined, access_token: TEST_ACCESS_TOKEN }), flavorContext(), {});
    const from = bed.emulator.calls.length;
    const failure = await failureOf(tokenStore.presign!('code_uploads/app.tar.gz', 60));
    expect(failure).toMatchObject({ code: 'CAPABILITY_MISSING', message: expect.stringContaining("signing a GCS URL needs a service account's private key") });
    expect(failure.hint).toMatch(/^set `service_account_key` \(as `\$\{VAR\}`\), or point GOOGLE_APPLICATION_CREDENTIALS at a service-account key file/);
    expect(bed.emulator.calls.length).toBe(from);
  });
});
