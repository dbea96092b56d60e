import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcsBed } from './__fixtures__/gcsBed.js';
import { GcsArtifactStore } from './GcsArtifactStore.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

const KIB = 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let bed: GcsBed;
let store: ArtifactStore;
let from = 0;

beforeAll(async () => {
  bed = await new GcsBed().start();
  store = await gcsArtifactStoreFlavor.create(bed.config(), flavorContext(), {});
});
afterAll(() => bed?.stop());
beforeEach(() => {
  from = bed.emulator.calls.length;
});

describe('GcsArtifactStore with the real client against the GCS emulator (tokens and checksums verified)', () => {
  it('puts, finds, reads and deletes an artifact below the store folder, in one request each', async () => {
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(false);
    await store.put('code_uploads/a.tar', 'hello gcs', { contentType: 'application/x-tar' });
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(true);
    await expect(text(await store.get('code_uploads/a.tar'))).resolves.toBe('hello gcs');
    expect(bed.emulator.object('stowage-test', 'stowage/code_uploads/a.tar')).toMatchObject({ contentType: 'application/x-tar' });
    await store.delete('code_uploads/a.tar');
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(false);
    expect(bed.callsSince(from)).toEqual([
      'objects.get 404',
      'upload.multipart 200',
      'objects.get 200',
      'objects.media 200',
      'objects.delete 204',
      'objects.get 404',
    ]);
    // Every call carried the service account's self-signed JWT, verified against its public key.
    expect(new Set(bed.emulator.calls.slice(from).map((c) => c.principal))).toEqual(new Set([bed.account.email]));
  });

  it('stores bytes and small streams as they are; without a content type, as application/octet-stream', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
    await store.put('bin/bytes', bytes, { size: 5 });
    await store.put('bin/stream.txt', Readable.from([Buffer.from('str'), Buffer.from('eamed')]), { size: 8 });
    expect(new Uint8Array(await buffer(await store.get('bin/bytes')))).toEqual(bytes);
    await expect(text(await store.get('bin/stream.txt'))).resolves.toBe('streamed');
    expect(bed.emulator.object('stowage-test', 'stowage/bin/stream.txt')?.contentType).toBe('application/octet-stream');
    expect(bed.callsSince(from).filter((c) => c.startsWith('upload.'))).toEqual(['upload.multipart 200', 'upload.multipart 200']);
  });

  it('uploads a stream of unknown size as a resumable session in chunks (308 until the last), the same bytes back', async () => {
    const chunked = GcsArtifactStore.open(bed.config(), { add: () => undefined }, { chunkSize: 256 * KIB });
    const data = randomBytes(700 * KIB);
    await chunked.put('big/seven-hundred-kib.bin', Readable.from([data.subarray(0, 100), data.subarray(100)]), { contentType: 'application/gzip' });
    expect(bed.callsSince(from)).toEqual([
      'upload.resumable.create 200',
      'upload.resumable.put 308',
      'upload.resumable.put 308',
      'upload.resumable.put 308',
      'upload.resumable.put 200',
    ]);
    expect(bed.emulator.calls.slice(from).map((c) => c.contentRange).filter(Boolean)).toEqual(['bytes */*', 'bytes 0-262143/*', 'bytes 262144-524287/*', 'bytes 524288-716799/716800']);
    const stored = bed.emulator.object('stowage-test', 'stowage/big/seven-hundred-kib.bin')!;
    expect([stored.contentType, sha256(stored.data)]).toEqual(['application/gzip', sha256(data)]);
    expect(sha256(await buffer(await chunked.get('big/seven-hundred-kib.bin')))).toBe(sha256(data));
  });

  it('uploads data of known size above the single-request limit resumably, announcing its size', async () => {
    const limited = GcsArtifactStore.open(bed.config(), { add: () => undefined }, { singleRequestLimit: 1000, chunkSize: 256 * KIB });
    await limited.put('sized/known.bin', randomBytes(3000), { size: 3000 });
    await limited.put('sized/bytes.bin', randomBytes(2000));
    expect(bed.callsSince(from).filter((c) => c.startsWith('upload.'))).toEqual([
      'upload.resumable.create 200',
      'upload.resumable.put 308',
      'upload.resumable.put 200',
      'upload.resumable.create 200',
      'upload.resumable.put 308',
      'upload.resumable.put 200',
    ]);
    expect(bed.emulator.object('stowage-test', 'stowage/sized/known.bin')?.data.length).toBe(3000);
  });

  it('answers a key that does not exist: exists false, get ARTIFACT_STORE_FAILED naming it, delete fine', async () => {
    await expect(store.exists('nothing/here.tar')).resolves.toBe(false);
    const failure = await failureOf(store.get('nothing/here.tar'));
    expect(failure).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: 'artifact nothing/here.tar does not exist in gs://stowage-test/stowage' });
    await expect(store.delete('nothing/here.tar')).resolves.toBeUndefined();
  });

  it('locates a key at describe().root + "/" + key, whether or not it exists', () => {
    const { root } = gcsArtifactStoreFlavor.describe(bed.config(), { projectRoot: '/tmp' });
    expect(root).toBe('gs://stowage-test/stowage');
    expect(store.locate('code_uploads/abc.tar')).toEqual({ uri: `${root}/code_uploads/abc.tar`, scheme: 'gs', bucket: 'stowage-test', path: 'stowage/code_uploads/abc.tar' });
  });

  it.each(['../outside.tar', 'a/../../b', '/etc/passwd', 'a//b', './a'])('refuses the key %j (never outside the folder), sending nothing', async (key) => {
    expect(() => store.locate(key)).toThrow(/is not a key the gcs artifact store accepts/);
    await expect(failureOf(store.put(key, 'x'))).resolves.toMatchObject({ code: 'USAGE' });
    await expect(failureOf(store.presign!(key, 60))).resolves.toMatchObject({ code: 'USAGE' });
    expect(bed.callsSince(from)).toEqual([]);
  });
});

describe('list (against the emulator)', () => {
  let paged: GcsArtifactStore;
  let whole: ArtifactStore;

  beforeAll(async () => {
    paged = GcsArtifactStore.open(bed.config({ path: 'gs://stowage-test/listing' }), { add: () => undefined }, { listPageSize: 2 });
    whole = await gcsArtifactStoreFlavor.create(bed.config({ path: 'gs://stowage-test' }), flavorContext(), {});
    for (const key of ['code_uploads/b.tar', 'code_uploads/a.tar', 'contexts/x.tar.gz', 'code', 'zeta/1']) await paged.put(key, key);
    // Outside the store's folder, and a folder marker inside it: neither is an artifact of the store.
    bed.emulator.putObject('stowage-test', 'listing-other/code_uploads/c.tar', 'not mine');
    bed.emulator.putObject('stowage-test', 'listing/folder/', '');
  });

  it('gives keys relative to the store folder, sorted, matching the prefix as text', async () => {
    await expect(paged.list('')).resolves.toEqual(['code', 'code_uploads/a.tar', 'code_uploads/b.tar', 'contexts/x.tar.gz', 'zeta/1']);
    await expect(paged.list('code')).resolves.toEqual(['code', 'code_uploads/a.tar', 'code_uploads/b.tar']);
    await expect(paged.list('code_uploads/')).resolves.toEqual(['code_uploads/a.tar', 'code_uploads/b.tar']);
    await expect(paged.list('nothing/')).resolves.toEqual([]);
  });

  it('follows page tokens page by page (pages of 2 objects here)', async () => {
    const start = bed.emulator.calls.length;
    await expect(paged.list('')).resolves.toHaveLength(5);
    const pages = bed.emulator.calls.slice(start).map((c) => new URL(c.url, 'http://x').searchParams);
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => [p.get('prefix'), p.get('maxResults'), p.has('pageToken')])).toEqual([
      ['listing/', '2', false],
      ['listing/', '2', true],
      ['listing/', '2', true],
    ]);
  });

  it('a store on the whole bucket lists every key of the bucket', async () => {
    const keys = await whole.list('listing');
    expect(keys).toContain('listing/code_uploads/a.tar');
    expect(keys).toContain('listing-other/code_uploads/c.tar');
    expect(keys).not.toContain('listing/folder/');
  });
});
