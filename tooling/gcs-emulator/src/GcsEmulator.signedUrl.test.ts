import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtOf, storageOf } from './__fixtures__/googleClients.js';
import { GcsEmulator } from './GcsEmulator.js';

const account = makeTestServiceAccount();
const stranger = makeTestServiceAccount('someone@elsewhere.iam.gserviceaccount.com');
let emulator: GcsEmulator;
// The emulator's clock, moved forward to expire URLs without waiting.
let skewSeconds = 0;

beforeAll(async () => {
  emulator = await GcsEmulator.start({ trust: { serviceAccounts: [account] }, buckets: ['stowage-test'], now: () => new Date(Date.now() + skewSeconds * 1000) });
  emulator.putObject('stowage-test', 'code/app archive.tar.gz', 'archive bytes', { contentType: 'application/gzip' });
});
afterAll(() => emulator?.stop());

async function signedUrl(name = 'code/app archive.tar.gz', signer = account, seconds = 60): Promise<URL> {
  const [url] = await storageOf(emulator, jwtOf(signer), signer).bucket('stowage-test').file(name).getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + seconds * 1000 });
  return new URL(url);
}

const errorCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

describe("V4 signed URLs (@google-cloud/storage's signer, checked against the test key)", () => {
  it('reads the object with a plain fetch (no credentials), signed over the host alone', async () => {
    const url = await signedUrl();
    expect(url.pathname).toBe('/stowage-test/code/app%20archive.tar.gz');
    expect(url.searchParams.get('X-Goog-SignedHeaders')).toBe('host');
    const response = await fetch(url);
    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([200, 'application/gzip', 'archive bytes']);
    expect(emulator.calls.at(-1)).toMatchObject({ operation: 'xml.get', principal: account.email, status: 200 });
  });

  it.each([
    ['another object', (url: URL) => (url.pathname = '/stowage-test/code/other.tar.gz')],
    ['a longer lifetime', (url: URL) => url.searchParams.set('X-Goog-Expires', '3600')],
    ['another signature', (url: URL) => url.searchParams.set('X-Goog-Signature', `${url.searchParams.get('X-Goog-Signature')!.slice(0, -2)}00`)],
  ])('refuses a URL changed to read %s: 403 SignatureDoesNotMatch', async (_what, tamper) => {
    const url = await signedUrl();
    tamper(url);
    const response = await fetch(url);
    const body = await response.text();
    expect([response.status, errorCode(body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(body).toContain('<StringToSign>GOOG4-RSA-SHA256\n');
  });

  it('refuses a URL signed by a service account it does not know', async () => {
    const response = await fetch(await signedUrl(undefined, stranger));
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('refuses an expired URL: 400 ExpiredToken, as GCS answers', async () => {
    const url = await signedUrl(undefined, account, 60);
    skewSeconds = 61;
    try {
      const response = await fetch(url);
      const body = await response.text();
      expect([response.status, errorCode(body)]).toEqual([400, 'ExpiredToken']);
      expect(body).toContain('<Message>The provided token has expired.</Message>');
    } finally {
      skewSeconds = 0;
    }
  });

  it('answers NoSuchKey (404) for a signed URL of an object that is not there', async () => {
    const response = await fetch(await signedUrl('code/missing.tar.gz'));
    expect([response.status, errorCode(await response.text())]).toEqual([404, 'NoSuchKey']);
  });

  it('refuses an unsigned, anonymous GET of the XML API with 403 AccessDenied', async () => {
    const response = await fetch(`${emulator.endpoint}/stowage-test/code/app%20archive.tar.gz`);
    expect([response.status, errorCode(await response.text())]).toEqual([403, 'AccessDenied']);
  });
});
