/**
 * putBlobs against the in-process fake registry: what the real one cannot be made to do on cue
 * (an upload that breaks off once), and the concurrency bound.
 */
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { FakeTokenRegistry } from './__fixtures__/FakeTokenRegistry.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { putBlobs, type BlobToPut } from './putBlobs.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

let registry: FakeTokenRegistry | undefined;

async function fake(): Promise<{ registry: FakeTokenRegistry; api: RegistryApiClient }> {
  registry = await new FakeTokenRegistry({ auth: 'none' }).start();
  return { registry, api: new RegistryApiClient({ baseUrl: registry.origin, auth: async () => ({ type: 'anonymous' }), timeoutMs: 5_000, tokens: new BearerTokenCache() }) };
}

const blobOf = (text: string, open?: (bytes: Buffer) => Readable | Uint8Array): BlobToPut & { opened: number; bytes: Buffer } => {
  const bytes = Buffer.from(text);
  const blob = {
    digest: sha256Digest(bytes),
    size: bytes.length,
    bytes,
    opened: 0,
    open: () => {
      blob.opened++;
      return open ? open(bytes) : bytes;
    },
  };
  return blob;
};

afterEach(async () => {
  await registry?.stop();
  registry = undefined;
});

describe('putBlobs', () => {
  it('sends what the repository lacks, once per digest, and says which were present', async () => {
    const { registry, api } = await fake();
    const [a, b] = [blobOf('layer a'), blobOf('layer b')];
    await api.uploadBlob('app', a.bytes, a.digest, a.size);
    const outcomes: string[] = [];
    const sent = await putBlobs(api, [a, b, b], { repository: 'app', onBlob: (blob, outcome) => outcomes.push(`${blob.digest === a.digest ? 'a' : 'b'} ${outcome}`) });
    expect(sent).toBe(b.size);
    expect(outcomes.sort()).toEqual(['a present', 'b uploaded']);
    expect([a.opened, b.opened]).toEqual([0, 1]);
    expect(registry.blobs.get(`app@${b.digest}`)).toEqual(b.bytes);
  });

  it('mounts from the other repository instead of sending', async () => {
    const { registry, api } = await fake();
    const a = blobOf('layer in base');
    await api.uploadBlob('base', a.bytes, a.digest, a.size);
    expect(await putBlobs(api, [a], { repository: 'app', mountFrom: 'base' })).toBe(0);
    expect(a.opened).toBe(0);
    expect(registry.blobs.get(`app@${a.digest}`)).toEqual(a.bytes);
  });

  it('opens the blob again and retries once when an upload breaks off', async () => {
    const { registry, api } = await fake();
    const flaky = blobOf('a layer whose first read fails', (bytes) =>
      flaky.opened === 1
        ? new Readable({
            read() {
              this.destroy(new Error('disk read failed'));
            },
          })
        : bytes,
    );
    expect(await putBlobs(api, [flaky], { repository: 'app' })).toBe(flaky.size);
    expect(flaky.opened).toBe(2);
    expect(registry.blobs.get(`app@${flaky.digest}`)).toEqual(flaky.bytes);
  });

  it('the first failure stops the rest and is thrown; a blob of the wrong size is not retried', async () => {
    const { api } = await fake();
    const wrong: BlobToPut = { ...blobOf('short'), size: 999 };
    const others = ['x', 'y', 'z', 'w'].map((t) => blobOf(`never needed ${t}`));
    const error = await putBlobs(api, [wrong, ...others], { repository: 'app' }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toMatch(/it has 5 bytes, not 999$/);
    expect(others.at(-1)!.opened).toBe(0);
  });

  it('uploads at most three at once', async () => {
    const { api } = await fake();
    let active = 0;
    let most = 0;
    const slow = (bytes: Buffer) => {
      most = Math.max(most, ++active);
      return Readable.from(
        (async function* () {
          await new Promise((resolve) => setTimeout(resolve, 40));
          active--;
          yield bytes;
        })(),
      );
    };
    const blobs = ['1', '2', '3', '4', '5', '6'].map((t) => blobOf(`slow ${t}`, slow));
    expect(await putBlobs(api, blobs, { repository: 'app' })).toBe(blobs.reduce((n, b) => n + b.size, 0));
    expect(most).toBe(3);
  });

  it('an abort stops every upload with the caller’s reason', async () => {
    const { registry, api } = await fake();
    const controller = new AbortController();
    const reason = new Error('stop');
    const blobs = ['1', '2', '3', '4'].map((t) => blobOf(`aborted ${t}`, (bytes) => (t === '2' ? (controller.abort(reason), bytes) : bytes)));
    await expect(putBlobs(api, blobs, { repository: 'app', signal: controller.signal })).rejects.toBe(reason);
    expect(registry.blobs.has(`app@${blobs[3]!.digest}`)).toBe(false);
  });
});
