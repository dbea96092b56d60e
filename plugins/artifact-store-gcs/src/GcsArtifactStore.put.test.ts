import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcsBed } from './__fixtures__/gcsBed.js';
import { GcsArtifactStore } from './GcsArtifactStore.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

const KIB = 1024;

/** A stream that gives `chunks`, then (after `delayMs`) fails with `message` instead of ending. */
function failingStream(chunks: Buffer[], message: string, delayMs = 0): Readable {
  const queue = [...chunks];
  return new Readable({
    read() {
      const next = queue.shift();
      if (next) this.push(next);
      else setTimeout(() => this.destroy(new Error(message)), delayMs);
    },
  });
}

/** A stream that gives a chunk whenever asked, forever (until destroyed). */
const endless = () => new Readable({ read() { setTimeout(() => this.push(randomBytes(64 * KIB)), 5); } });

let bed: GcsBed;
let store: ArtifactStore;
let chunked: GcsArtifactStore;
let from = 0;

beforeAll(async () => {
  bed = await new GcsBed().start();
  store = await gcsArtifactStoreFlavor.create(bed.config(), flavorContext(), {});
  chunked = GcsArtifactStore.open(bed.config(), { add: () => undefined }, { chunkSize: 256 * KIB, maxRetries: 0 });
});
afterAll(() => bed?.stop());
beforeEach(() => {
  from = bed.emulator.calls.length;
});
afterEach(() => {
  bed.emulator.onRequest = undefined;
  expect(bed.emulator.unfinishedUploads()).toEqual([]);
});

describe('a failed or cancelled put leaves nothing behind (real client, GCS emulator)', () => {
  it('a small stream that errors: ARTIFACT_STORE_FAILED with its reason, nothing sent, the stream destroyed', async () => {
    const stream = failingStream([Buffer.from('partial')], 'disk read failed');
    const failure = await failureOf(store.put('code_uploads/small.tar', stream, { size: 100 }));
    expect([failure.code, failure.message]).toEqual(['ARTIFACT_STORE_FAILED', 'could not write code_uploads/small.tar to gs://stowage-test/stowage: disk read failed']);
    expect(stream.destroyed).toBe(true);
    expect(bed.callsSince(from)).toEqual([]);
  });

  it('a stream that errors after its first chunk went up: the session is cancelled (499), no object', async () => {
    // 300 KiB, then a pause long enough for the first 256 KiB chunk to be persisted, then the failure.
    const stream = failingStream([randomBytes(300 * KIB)], 'connection to the build context lost', 200);
    const failure = await failureOf(chunked.put('code_uploads/big.tar', stream));
    expect(failure.message).toBe('could not write code_uploads/big.tar to gs://stowage-test/stowage: connection to the build context lost');
    expect(bed.callsSince(from)).toEqual(['upload.resumable.create 200', 'upload.resumable.put 308', 'upload.resumable.put 308', 'upload.resumable.cancel 499']);
    await expect(store.exists('code_uploads/big.tar')).resolves.toBe(false);
  });

  it('a put cancelled by its signal mid-upload (Ctrl-C): rejected, the session cancelled, no object', async () => {
    const controller = new AbortController();
    // Cancelled as the second chunk arrives: the status query and the first chunk are in.
    bed.emulator.onRequest = (call) => {
      if (call.operation === 'upload.resumable.put' && bed.emulator.calls.slice(from).filter((c) => c.operation === 'upload.resumable.put').length === 3) controller.abort();
    };
    const failure = await failureOf(chunked.put('code_uploads/cancelled.tar', endless(), { signal: controller.signal }));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.message).toMatch(/^could not write code_uploads\/cancelled\.tar to gs:\/\/stowage-test\/stowage: .*abort/i);
    const calls = bed.callsSince(from);
    expect(calls.slice(0, 3)).toEqual(['upload.resumable.create 200', 'upload.resumable.put 308', 'upload.resumable.put 308']);
    expect(calls.at(-1)).toBe('upload.resumable.cancel 499');
    await expect(store.exists('code_uploads/cancelled.tar')).resolves.toBe(false);
  });

  it('a put whose signal is already aborted sends nothing', async () => {
    const failure = await failureOf(store.put('code_uploads/never.tar', 'x', { signal: AbortSignal.abort() }));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(bed.callsSince(from)).toEqual([]);
  });

  it('a single-request put cancelled while its request ran takes back the object it wrote (that generation only)', async () => {
    const controller = new AbortController();
    bed.emulator.onRequest = (call) => call.operation === 'upload.multipart' && controller.abort();
    const failure = await failureOf(store.put('code_uploads/raced.tar', 'written, then cancelled', { signal: controller.signal }));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(bed.callsSince(from)).toEqual(['upload.multipart 200', 'objects.delete 204']);
    expect(bed.emulator.calls.at(-1)?.url).toMatch(/ifGenerationMatch=\d+/);
    await expect(store.exists('code_uploads/raced.tar')).resolves.toBe(false);
  });

  it('a stream shorter or longer than the announced size never becomes an object (either upload)', async () => {
    const short = await failureOf(store.put('sized/short', Readable.from([Buffer.from('12345')]), { size: 6 }));
    expect(short.message).toBe('could not write sized/short to gs://stowage-test/stowage: the data was 5 bytes, not the 6 that `size` announced');
    const long = await failureOf(store.put('sized/long', Readable.from([Buffer.from('1234'), Buffer.from('5678')]), { size: 6 }));
    expect(long.message).toMatch(/the data was more than 4 bytes, not the 6 that `size` announced$/);
    const limited = GcsArtifactStore.open(bed.config(), { add: () => undefined }, { singleRequestLimit: 1000, chunkSize: 256 * KIB, maxRetries: 0 });
    const big = await failureOf(limited.put('sized/big', Readable.from(Array.from({ length: 3 }, () => randomBytes(200 * KIB))), { size: 700 * KIB }));
    expect(big.message).toMatch(/the data was 614400 bytes, not the 716800 that `size` announced$/);
    expect(bed.callsSince(from).at(-1)).toBe('upload.resumable.cancel 499');
    for (const key of ['sized/short', 'sized/long', 'sized/big']) await expect(store.exists(key)).resolves.toBe(false);
  });

  it.each([
    ['a single request', () => 'checked by the client'],
    ['a resumable upload', () => sixHundredKib()],
  ])('an object GCS stored wrong (its CRC32C is not what was sent), by %s: the put fails and leaves no object', async (_what, data) => {
    bed.emulator.corruptNextUpload();
    const failure = await failureOf(chunked.put('code_uploads/corrupt.tar', data()));
    expect(failure.message).toBe(
      'could not write code_uploads/corrupt.tar to gs://stowage-test/stowage: The uploaded data did not match the data from the server. As a precaution, the file has been deleted. To be sure the content is the same, you should try uploading the file again.',
    );
    // The client deleted the object it found corrupt, as soon as the upload answered.
    expect(bed.callsSince(from)).toContain('objects.delete 204');
    await expect(store.exists('code_uploads/corrupt.tar')).resolves.toBe(false);
  });

  it('bytes of the wrong size are refused before any request', async () => {
    const failure = await failureOf(store.put('sized/bytes', Uint8Array.from([1, 2, 3]), { size: 4 }));
    expect(failure.message).toMatch(/the data was 3 bytes, not the 4 that `size` announced$/);
    expect(bed.callsSince(from)).toEqual([]);
  });

  it('a failed put replaces nothing: the object already there stays as it was', async () => {
    await store.put('code_uploads/kept.tar', 'version 1');
    const failure = await failureOf(chunked.put('code_uploads/kept.tar', failingStream([randomBytes(300 * KIB)], 'interrupted')));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    await expect(text(await store.get('code_uploads/kept.tar'))).resolves.toBe('version 1');
  });

  it.each([
    ['a single request', 'upload.multipart', (): string | Readable => 'small'],
    ['a chunk of a resumable upload', 'upload.resumable.put', (): string | Readable => sixHundredKib()],
  ] as const)('GCS failing %s (503): the error carries Google\'s reason, no object', async (_what, operation, data) => {
    bed.emulator.failNext(operation, 503);
    const failure = await failureOf(chunked.put('code_uploads/refused.tar', data()));
    expect(failure.message).toMatch(/^could not write code_uploads\/refused\.tar to gs:\/\/stowage-test\/stowage: .*503/);
    await expect(store.exists('code_uploads/refused.tar')).resolves.toBe(false);
  });
});

/** 600 KiB, size unknown to the store. */
function sixHundredKib(): Readable {
  return Readable.from(Array.from({ length: 6 }, () => randomBytes(100 * KIB)));
}
