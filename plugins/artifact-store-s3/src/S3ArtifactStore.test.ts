import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { S3rverBed } from './__fixtures__/s3rverBed.js';
import { s3ArtifactStoreFlavor } from './plugin.js';
import { S3ArtifactStore } from './S3ArtifactStore.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let bed: S3rverBed;
let store: ArtifactStore;

beforeAll(async () => {
  bed = await new S3rverBed().start();
  store = await s3ArtifactStoreFlavor.create(bed.config(), flavorContext(), {});
});
afterAll(() => bed?.stop());
beforeEach(() => {
  bed.requests.length = 0;
});

describe('S3ArtifactStore with the real SDK client against s3rver (which does not verify signatures)', () => {
  it('puts, finds, reads and deletes an artifact below the store folder', async () => {
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(false);
    await store.put('code_uploads/a.tar', 'hello s3', { contentType: 'application/x-tar' });
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(true);
    await expect(text(await store.get('code_uploads/a.tar'))).resolves.toBe('hello s3');
    // Below the store's folder (s3://stowage-test/stowage), as one PutObject: no multipart for 8 bytes.
    expect(bed.requests).toContain('PUT /stowage-test/stowage/code_uploads/a.tar?x-id=PutObject');
    expect(bed.requests.some((r) => r.includes('?uploads'))).toBe(false);
    await store.delete('code_uploads/a.tar');
    await expect(store.exists('code_uploads/a.tar')).resolves.toBe(false);
  });

  it('stores bytes and small streams as they are (no aws-chunked framing), with their content type', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
    await store.put('bin/bytes', bytes, { size: 5 });
    await store.put('bin/stream', Readable.from([Buffer.from('str'), Buffer.from('eamed')]), { size: 8, contentType: 'text/plain' });
    expect(new Uint8Array(await buffer(await store.get('bin/bytes')))).toEqual(bytes);
    await expect(text(await store.get('bin/stream'))).resolves.toBe('streamed');
    const response = await fetch(await store.presign!('bin/stream', 60));
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  it('uploads a stream over 5 MiB in parts and reads back the same bytes', async () => {
    const data = randomBytes(11 * 1024 * 1024);
    const chunks = Array.from({ length: 176 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    await store.put('big/eleven-mib.bin', Readable.from(chunks), { size: data.length });
    const back = await buffer(await store.get('big/eleven-mib.bin'));
    expect(back.length).toBe(11 * 1024 * 1024);
    expect(sha256(back)).toBe(sha256(data));
    // CreateMultipartUpload, three UploadParts (5 + 5 + 1 MiB), CompleteMultipartUpload.
    expect(bed.requests.filter((r) => r.startsWith('POST /stowage-test/stowage/big/eleven-mib.bin?uploads'))).toHaveLength(1);
    expect(bed.requests.filter((r) => /^PUT .*partNumber=\d/.test(r))).toHaveLength(3);
    expect(bed.requests.filter((r) => /^POST .*uploadId=/.test(r))).toHaveLength(1);
    expect(bed.pendingUploads()).toEqual([]);
  });

  it("round-trips with the SDK's default checksums (when_supported) too: lib-storage sends buffers, never aws-chunked streams", async () => {
    const defaults = await s3ArtifactStoreFlavor.create(bed.config({ request_checksum_calculation: undefined, response_checksum_validation: undefined }), flavorContext(), {});
    const data = randomBytes(6 * 1024 * 1024 + 7);
    await defaults.put('checksums/small', Readable.from([Buffer.from('small '), Buffer.from('stream')]));
    await defaults.put('checksums/multipart', Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
    await expect(text(await defaults.get('checksums/small'))).resolves.toBe('small stream');
    expect(sha256(await buffer(await defaults.get('checksums/multipart')))).toBe(sha256(data));
  });

  it('answers a key that does not exist: exists false, get ARTIFACT_STORE_FAILED naming it, delete fine', async () => {
    await expect(store.exists('nothing/here.tar')).resolves.toBe(false);
    const failure = await failureOf(store.get('nothing/here.tar'));
    expect(failure).toMatchObject({ code: 'ARTIFACT_STORE_FAILED', message: 'artifact nothing/here.tar does not exist in s3://stowage-test/stowage' });
    await expect(store.delete('nothing/here.tar')).resolves.toBeUndefined();
  });

  it('locates a key at describe().root + "/" + key, whether or not it exists', () => {
    const config = bed.config();
    const { root } = s3ArtifactStoreFlavor.describe(config, { projectRoot: '/tmp' });
    expect(store.locate('code_uploads/abc.tar')).toEqual({
      uri: `${root}/code_uploads/abc.tar`,
      scheme: 's3',
      bucket: 'stowage-test',
      path: 'stowage/code_uploads/abc.tar',
    });
    expect(root).toBe('s3://stowage-test/stowage');
  });
});

describe('list (against s3rver)', () => {
  let paged: S3ArtifactStore;
  let whole: ArtifactStore;

  beforeAll(async () => {
    paged = S3ArtifactStore.open(bed.config({ path: 's3://stowage-test/listing' }), { add: () => undefined }, { listPageSize: 2 });
    whole = await s3ArtifactStoreFlavor.create(bed.config({ path: 's3://stowage-test' }), flavorContext(), {});
    for (const key of ['code_uploads/b.tar', 'code_uploads/a.tar', 'contexts/x.tar.gz', 'code', 'zeta/1']) await paged.put(key, key);
    // Outside the store's folder, and a folder marker inside it: neither is an artifact of the store.
    await whole.put('listing-other/code_uploads/c.tar', 'not mine');
    await whole.put('listing/folder/', '');
  });

  it('gives keys relative to the store folder, sorted, matching the prefix as text', async () => {
    await expect(paged.list('')).resolves.toEqual(['code', 'code_uploads/a.tar', 'code_uploads/b.tar', 'contexts/x.tar.gz', 'zeta/1']);
    await expect(paged.list('code')).resolves.toEqual(['code', 'code_uploads/a.tar', 'code_uploads/b.tar']);
    await expect(paged.list('code_uploads/')).resolves.toEqual(['code_uploads/a.tar', 'code_uploads/b.tar']);
    await expect(paged.list('nothing/')).resolves.toEqual([]);
  });

  it('follows continuation tokens page by page (pages of 2 keys here)', async () => {
    bed.requests.length = 0;
    await expect(paged.list('')).resolves.toHaveLength(5);
    const pages = bed.requests.filter((r) => r.startsWith('GET /stowage-test/?') && r.includes('list-type=2'));
    expect(pages).toHaveLength(3);
    expect(pages.filter((r) => r.includes('continuation-token='))).toHaveLength(2);
    expect(pages.every((r) => r.includes('max-keys=2') && r.includes('prefix=listing%2F'))).toBe(true);
  });

  it('a store on the whole bucket lists every key of the bucket', async () => {
    const keys = await whole.list('listing');
    expect(keys).toContain('listing/code_uploads/a.tar');
    expect(keys).toContain('listing-other/code_uploads/c.tar');
    expect(keys).not.toContain('listing/folder/');
  });
});
