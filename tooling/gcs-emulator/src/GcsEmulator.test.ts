import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jwtOf, openSession, rejectionOf, storageOf, tokenClient } from './__fixtures__/googleClients.js';
import { GcsEmulator } from './GcsEmulator.js';

const account = makeTestServiceAccount();
const stranger = makeTestServiceAccount('someone@elsewhere.iam.gserviceaccount.com');
const TOKEN = 'ya29.test-access-token';
const KIB = 1024;
let emulator: GcsEmulator;
const jwt = jwtOf(account);
const storage = () => storageOf(emulator, jwt, account);

beforeAll(async () => {
  emulator = await GcsEmulator.start({ trust: { accessTokens: [TOKEN], serviceAccounts: [account] }, buckets: ['stowage-test'], maxBytes: 8 * 1024 * KIB });
});
afterAll(() => emulator?.stop());
beforeEach(() => {
  emulator.calls.length = 0;
});

describe('GcsEmulator, driven by @google-cloud/storage 7.22', () => {
  it('answers whether a bucket exists', async () => {
    await expect(storage().bucket('stowage-test').exists()).resolves.toEqual([true]);
    await expect(storage().bucket('no-such-bucket').exists()).resolves.toEqual([false]);
    expect(emulator.calls.map((c) => `${c.operation} ${c.status}`)).toEqual(['buckets.get 200', 'buckets.get 404']);
  });

  it('stores a multipart upload with real CRC32C and MD5, which the client checks (both) against its own', async () => {
    const file = storage().bucket('stowage-test').file('checks/123456789.txt');
    await file.save('123456789', { resumable: false, contentType: 'text/plain', validation: 'md5' });
    await file.save('123456789', { resumable: false, validation: 'crc32c' });
    // The standard check values: CRC32C("123456789") = 0xE3069283, MD5 = 25f9e794….
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ name: 'checks/123456789.txt', size: '9', crc32c: '4waSgw==', md5Hash: 'JfnnlDI7RTiF9RgfG2JNCw==', contentType: 'text/plain' });
    expect(emulator.calls.filter((c) => c.operation === 'upload.multipart').map((c) => c.status)).toEqual([200, 200]);
    const [bytes] = await file.download({ validation: 'md5' });
    expect(bytes.toString()).toBe('123456789');
  });

  it('uploads a resumable session in chunks: 308 with Range after each, 200 with the object after the last', async () => {
    const data = randomBytes(600 * KIB);
    const uri = await openSession(emulator, jwt, 'stowage-test', 'chunks/a.bin', { 'X-Upload-Content-Type': 'application/x-tar' });
    const file = storage().bucket('stowage-test').file('chunks/a.bin');
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), file.createWriteStream({ uri, chunkSize: 256 * KIB }));
    const puts = emulator.calls.filter((c) => c.operation === 'upload.resumable.put').map((c) => `${c.status} ${c.contentRange}`);
    expect(puts).toEqual(['308 bytes */*', '308 bytes 0-262143/*', '308 bytes 262144-524287/*', '200 bytes 524288-614399/614400']);
    expect(emulator.object('stowage-test', 'chunks/a.bin')).toMatchObject({ contentType: 'application/x-tar' });
    expect(emulator.readObject('stowage-test', 'chunks/a.bin')!.equals(data)).toBe(true);
    expect(emulator.unfinishedUploads()).toEqual([]);
  });

  it('takes a stream of unknown size in one PUT (`bytes 0-*/*`): the end of the body finalises it', async () => {
    const data = randomBytes(300 * KIB);
    const uri = await openSession(emulator, jwt, 'stowage-test', 'whole/b.bin');
    await pipeline(Readable.from([data]), storage().bucket('stowage-test').file('whole/b.bin').createWriteStream({ uri }));
    expect(emulator.calls.filter((c) => c.operation === 'upload.resumable.put').map((c) => `${c.status} ${c.contentRange}`).at(-1)).toBe('200 bytes 0-*/*');
    const [back] = await storage().bucket('stowage-test').file('whole/b.bin').download();
    expect(back.equals(data)).toBe(true);
  });

  it('authorises a session when it is opened (the client alone sends no token to a custom endpoint); the session URI is the capability', async () => {
    const refused = await rejectionOf(storage().bucket('stowage-test').file('trap.txt').save('x'));
    expect(refused.message).toContain('401');
    expect(emulator.calls.map((c) => `${c.operation} ${c.status} ${c.principal ?? '-'}`)).toEqual(['upload.resumable.create 401 -']);
    const uri = await openSession(emulator, tokenClient(TOKEN), 'stowage-test', 'capability.txt');
    const put = await fetch(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-4/5' }, body: 'hello' });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ name: 'capability.txt', size: '5' });
    expect(emulator.calls.at(-1)).toMatchObject({ operation: 'upload.resumable.put', principal: 'access-token', status: 200 });
  });

  it('refuses a final chunk whose X-Goog-Hash is not the data, and keeps no object', async () => {
    const uri = await openSession(emulator, jwt, 'stowage-test', 'hash/wrong.txt');
    const put = await fetch(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-4/5', 'X-Goog-Hash': 'crc32c=AAAAAA==' }, body: 'hello' });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { error: { message: string } }).error.message).toBe('Provided CRC32C "AAAAAA==" doesn\'t match calculated CRC32C "mnG7TA==".');
    expect(emulator.object('stowage-test', 'hash/wrong.txt')).toBeUndefined();
  });

  it('a PUT cut short by the client persists nothing of it and finishes nothing; the status query says so', async () => {
    const uri = new URL(await openSession(emulator, jwt, 'stowage-test', 'cut/short.bin'));
    await new Promise<void>((resolve) => {
      const put = httpRequest(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-*/*', 'Transfer-Encoding': 'chunked' } });
      put.on('error', () => resolve());
      put.write(randomBytes(64 * KIB), () => setTimeout(() => put.destroy(), 50));
      put.on('close', () => resolve());
    });
    await expect.poll(() => emulator.calls.filter((c) => c.operation === 'upload.resumable.put').length).toBe(1);
    expect(emulator.object('stowage-test', 'cut/short.bin')).toBeUndefined();
    const status = await fetch(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes */*' } });
    expect([status.status, status.headers.get('range')]).toEqual([308, null]);
    expect(emulator.unfinishedUploads()).toContainEqual({ bucket: 'stowage-test', name: 'cut/short.bin', received: 0 });
  });

  it('cancels a session on DELETE (499), after which its URI is unknown', async () => {
    const uri = await openSession(emulator, jwt, 'stowage-test', 'cancel/me.bin');
    await fetch(uri, { method: 'PUT', headers: { 'Content-Range': `bytes 0-${256 * KIB - 1}/*` }, body: randomBytes(256 * KIB) });
    expect((await fetch(uri, { method: 'DELETE' })).status).toBe(499);
    expect((await fetch(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes */*' } })).status).toBe(404);
    expect(emulator.unfinishedUploads().map((u) => u.name)).not.toContain('cancel/me.bin');
  });

  it('serves media with x-goog-hash for the client to check, and one Range with 206', async () => {
    emulator.putObject('stowage-test', 'media/abc.txt', 'abcdefghij', { contentType: 'text/plain' });
    const file = storage().bucket('stowage-test').file('media/abc.txt');
    await expect(file.download().then(([b]) => b.toString())).resolves.toBe('abcdefghij');
    await expect(file.download({ start: 2, end: 4 }).then(([b]) => b.toString())).resolves.toBe('cde');
    const response = await fetch(`${emulator.endpoint}/storage/v1/b/stowage-test/o/media%2Fabc.txt?alt=media`, { headers: { Authorization: `Bearer ${TOKEN}`, Range: 'bytes=-3' } });
    expect([response.status, response.headers.get('content-range'), await response.text()]).toEqual([206, 'bytes 7-9/10', 'hij']);
    const unsatisfiable = await fetch(`${emulator.endpoint}/storage/v1/b/stowage-test/o/media%2Fabc.txt?alt=media`, { headers: { Authorization: `Bearer ${TOKEN}`, Range: 'bytes=10-' } });
    expect(unsatisfiable.status).toBe(416);
  });

  it('answers a stored object to a plain bearer-token GET of `?alt=media` (how a build fetches its source)', async () => {
    emulator.putObject('stowage-test', 'source/ctx.tar.gz', Buffer.from([31, 139, 8, 0]));
    const response = await fetch(`${emulator.endpoint}/storage/v1/b/stowage-test/o/${encodeURIComponent('source/ctx.tar.gz')}?alt=media`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-goog-hash')).toMatch(/^crc32c=[A-Za-z0-9+/=]{8},md5=[A-Za-z0-9+/=]{24}$/);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([31, 139, 8, 0]);
    expect((await fetch(`${emulator.endpoint}/storage/v1/b/stowage-test/o/source%2Fctx.tar.gz?alt=media`)).status).toBe(401);
  });

  it("answers Google's 404s: no such object, no such bucket", async () => {
    const missing = await rejectionOf(storage().bucket('stowage-test').file('none.txt').getMetadata());
    expect([missing.code, missing.message]).toEqual([404, 'No such object: stowage-test/none.txt']);
    const noBucket = await rejectionOf(storage().bucket('no-such-bucket').file('a.txt').save('x', { resumable: false }));
    expect([noBucket.code, noBucket.message]).toEqual([404, 'The specified bucket does not exist.']);
  });

  it('deletes an object (204), and answers 404 for one that is not there', async () => {
    emulator.putObject('stowage-test', 'delete/me.txt', 'x');
    await storage().bucket('stowage-test').file('delete/me.txt').delete();
    expect(emulator.object('stowage-test', 'delete/me.txt')).toBeUndefined();
    expect((await rejectionOf(storage().bucket('stowage-test').file('delete/me.txt').delete())).code).toBe(404);
    expect(emulator.calls.map((c) => c.status)).toEqual([204, 404]);
  });

  it('refuses an upload past its byte bound with 503, and stores nothing of it', async () => {
    const failure = await rejectionOf(storage().bucket('stowage-test').file('huge.bin').save(Buffer.alloc(9 * 1024 * KIB), { resumable: false }));
    expect(failure.code).toBe(503);
    expect(emulator.object('stowage-test', 'huge.bin')).toBeUndefined();
  });

  it('corrupts the next object stored on request: the client finds the CRC32C wrong and deletes the object', async () => {
    emulator.corruptNextUpload();
    const failure = await rejectionOf(storage().bucket('stowage-test').file('corrupt.txt').save('precious', { resumable: false }));
    expect(failure.code).toBe('FILE_NO_UPLOAD');
    expect(emulator.calls.map((c) => `${c.operation} ${c.status}`)).toEqual(['upload.multipart 200', 'objects.delete 204']);
    expect(emulator.object('stowage-test', 'corrupt.txt')).toBeUndefined();
  });

  it('fails the next call of an operation on request (fault injection), once', async () => {
    emulator.failNext('upload.multipart', 503);
    const failure = await rejectionOf(storage().bucket('stowage-test').file('fault.txt').save('x', { resumable: false }));
    expect(failure.code).toBe(503);
    await storage().bucket('stowage-test').file('fault.txt').save('x', { resumable: false });
    expect(emulator.objectNames('stowage-test')).toContain('fault.txt');
  });
});

describe('bearer tokens (verified with @stowage/gcp-auth-emulator)', () => {
  it("accepts a known access token and a trusted account's self-signed JWT, and says who called", async () => {
    await storageOf(emulator, tokenClient(TOKEN)).bucket('stowage-test').exists();
    await storage().bucket('stowage-test').exists();
    expect(emulator.calls.map((c) => c.principal)).toEqual(['access-token', account.email]);
  });

  it.each([
    ['an unknown access token', () => tokenClient('ya29.wrong'), 'Request had invalid authentication credentials. Expected OAuth 2 access token.'],
    ["an untrusted account's JWT", () => jwtOf(stranger), 'Invalid Credentials: the JWT issuer is not a known service account'],
  ])('refuses %s with 401 and Google\'s error body', async (_what, client, message) => {
    const failure = await rejectionOf(storageOf(emulator, client()).bucket('stowage-test').file('a.txt').getMetadata());
    expect([failure.code, failure.message]).toEqual([401, message]);
  });

  it('refuses a JWT without a storage scope with 403', async () => {
    const failure = await rejectionOf(storageOf(emulator, jwtOf(account, ['https://www.googleapis.com/auth/pubsub'])).bucket('stowage-test').exists());
    expect(failure.code).toBe(403);
  });

  it('refuses a request without Authorization with 401', async () => {
    const response = await fetch(`${emulator.endpoint}/storage/v1/b/stowage-test/o`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }] } });
  });
});
