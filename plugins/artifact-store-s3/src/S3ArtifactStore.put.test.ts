import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { S3rverBed } from './__fixtures__/s3rverBed.js';
import { s3ArtifactStoreFlavor } from './plugin.js';

const MIB = 1024 * 1024;

/** A stream that gives `chunks`, then fails with `message` instead of ending. */
function failingStream(chunks: Buffer[], message: string): Readable {
  const queue = [...chunks];
  return new Readable({
    read() {
      const next = queue.shift();
      if (next) this.push(next);
      else this.destroy(new Error(message));
    },
  });
}

let bed: S3rverBed;
let store: ArtifactStore;

beforeAll(async () => {
  bed = await new S3rverBed().start();
  store = await s3ArtifactStoreFlavor.create(bed.config(), flavorContext(), {});
});
afterAll(() => bed?.stop());
beforeEach(() => {
  bed.requests.length = 0;
  bed.abortSupported = true;
});

describe('a failed put leaves nothing behind (real SDK client, s3rver: no signature checks)', () => {
  it('a small stream that errors: ARTIFACT_STORE_FAILED with its reason, nothing sent, the stream destroyed', async () => {
    const stream = failingStream([Buffer.from('partial')], 'disk read failed');
    const failure = await failureOf(store.put('code_uploads/small.tar', stream));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.message).toBe('could not write code_uploads/small.tar to s3://stowage-test/stowage: disk read failed');
    expect(stream.destroyed).toBe(true);
    expect(bed.requests).toEqual([]);
    await expect(store.exists('code_uploads/small.tar')).resolves.toBe(false);
  });

  it('a stream over 5 MiB that errors after the first part: the multipart upload is aborted, no object, no parts left', async () => {
    const stream = failingStream(Array.from({ length: 6 }, () => randomBytes(MIB)), 'connection to the build context lost');
    const failure = await failureOf(store.put('code_uploads/big.tar', stream));
    expect(failure.message).toMatch(/^could not write code_uploads\/big\.tar to s3:\/\/stowage-test\/stowage: connection to the build context lost$/);
    const created = bed.requests.filter((r) => r.startsWith('POST /stowage-test/stowage/code_uploads/big.tar?uploads'));
    expect(created).toHaveLength(1);
    expect(bed.requests.filter((r) => /^DELETE \/stowage-test\/stowage\/code_uploads\/big\.tar\?uploadId=[0-9a-f]+/.test(r))).toHaveLength(1);
    expect(bed.pendingUploads()).toEqual([]);
    await expect(store.exists('code_uploads/big.tar')).resolves.toBe(false);
  });

  it('when the store refuses the abort (s3rver as shipped answers 405), the error says so and how to clean up', async () => {
    bed.abortSupported = false;
    const stream = failingStream(Array.from({ length: 6 }, () => randomBytes(MIB)), 'stream broke');
    const failure = await failureOf(store.put('code_uploads/stuck.tar', stream));
    expect(failure.message).toMatch(/^could not write code_uploads\/stuck\.tar to s3:\/\/stowage-test\/stowage: stream broke; aborting its multipart upload failed too: MethodNotAllowed \(HTTP 405\)/);
    const [uploadId] = bed.pendingUploads();
    expect(uploadId).toMatch(/^[0-9a-f]{32}$/);
    expect(failure.hint).toBe(
      `abort it with \`aws s3api abort-multipart-upload --bucket stowage-test --key stowage/code_uploads/stuck.tar --upload-id ${uploadId}\`, or let a lifecycle rule abort incomplete multipart uploads`,
    );
    await expect(store.exists('code_uploads/stuck.tar')).resolves.toBe(false);
  });

  it('a stream shorter or longer than the announced size never becomes an object', async () => {
    const pendingBefore = bed.pendingUploads();
    const short = await failureOf(store.put('sized/short', Readable.from([Buffer.from('12345')]), { size: 6 }));
    expect(short.message).toBe('could not write sized/short to s3://stowage-test/stowage: the data was 5 bytes, not the 6 that `size` announced');
    const long = await failureOf(store.put('sized/long', Readable.from([Buffer.from('1234'), Buffer.from('5678')]), { size: 6 }));
    expect(long.message).toMatch(/the data was more than 4 bytes, not the 6 that `size` announced$/);
    const big = failureOf(store.put('sized/big', Readable.from(Array.from({ length: 6 }, () => Buffer.alloc(MIB, 1))), { size: 7 * MIB }));
    expect((await big).message).toMatch(/the data was 6291456 bytes, not the 7340032 that `size` announced$/);
    // The 7 MiB put was multipart (a 5 MiB part went up before the stream ended short): aborted too.
    expect(bed.requests.some((r) => r.startsWith('DELETE /stowage-test/stowage/sized/big?uploadId='))).toBe(true);
    expect(bed.pendingUploads()).toEqual(pendingBefore);
    for (const key of ['sized/short', 'sized/long', 'sized/big']) await expect(store.exists(key)).resolves.toBe(false);
  });

  it('bytes of the wrong size are refused before any request', async () => {
    const failure = await failureOf(store.put('sized/bytes', Uint8Array.from([1, 2, 3]), { size: 4 }));
    expect(failure.message).toMatch(/the data was 3 bytes, not the 4 that `size` announced$/);
    expect(bed.requests).toEqual([]);
  });

  it('a failed put replaces nothing: the object already there stays as it was', async () => {
    await store.put('code_uploads/kept.tar', 'version 1');
    const failure = await failureOf(store.put('code_uploads/kept.tar', failingStream([Buffer.from('version 2, half')], 'interrupted')));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    const body = await store.get('code_uploads/kept.tar');
    expect(Buffer.concat(await body.toArray()).toString()).toBe('version 1');
  });
});
