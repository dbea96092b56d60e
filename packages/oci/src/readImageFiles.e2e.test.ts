/**
 * readImageFiles against the real registry (the e2e harness's, with basic auth): images of
 * generated layers where a file is replaced, whited out and hidden by an opaque directory; a
 * bottom layer that is no gzip at all, to prove reading stops once the answer is known; a file
 * over the size cap; a real zstd layer.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, parseImageReference, type ImageRef } from '@stowage/plugin-api';
import { gzipLayer, pushTestImage, testImage, zstdLayer, type TestLayer } from './__fixtures__/appendTestImages.js';
import { E2EDocker } from './__fixtures__/E2EDocker.js';
import { e2eRegistries } from './__fixtures__/e2eRegistries.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { readImageFiles } from './readImageFiles.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

const registries = await e2eRegistries('@stowage/oci readImageFiles');
const run = randomBytes(4).toString('hex');
const originalFetch = globalThis.fetch;

const text = (files: Map<string, Buffer>) => Object.fromEntries([...files].map(([path, contents]) => [path, contents.toString()]));

describe.skipIf(!registries)('readImageFiles from the real registry (basic auth)', () => {
  let api: RegistryApiClient;
  let cleanup: E2EDocker;
  let host = '';
  const repository = `stowage-oci-e2e/${run}/files`;
  /** Blob GETs sent, by digest. */
  const fetched: string[] = [];
  const ref = (digest: string): ImageRef => parseImageReference(`${host}/${repository}@${digest}`);
  let lower: TestLayer;
  let middle: TestLayer;
  let top: TestLayer;

  async function push(layers: TestLayer[], tag: string): Promise<ImageRef> {
    return ref(cleanup.pushedManifest(host, repository, await pushTestImage(api, repository, testImage('oci', layers), tag)));
  }

  beforeAll(async () => {
    host = registries!.auth;
    const { username, password } = registries!;
    globalThis.fetch = (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if ((init?.method ?? 'GET') === 'GET' && url.pathname.includes('/blobs/')) fetched.push(url.pathname.split('/').at(-1)!);
      return originalFetch(input, init);
    };
    api = new RegistryApiClient({ baseUrl: `http://${host}`, auth: async () => ({ type: 'basic', username, password }), timeoutMs: 10_000, tokens: new BearerTokenCache() });
    cleanup = new E2EDocker(registries!, run);
    lower = await gzipLayer([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'etc/group', content: `root:x:0:\n# ${run}\n` },
      { name: 'app/old.txt', content: 'whited out above' },
      { name: 'opt/old', content: 'hidden by an opaque directory above' },
      { name: 'big/zeros', content: Buffer.alloc(1024 * 1024 + 1) },
    ]);
    middle = await gzipLayer([
      { name: 'etc/passwd', content: `root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n# ${run}\n` },
      { name: 'app/.wh.old.txt' },
      { name: 'opt/.wh..wh..opq' },
      { name: 'opt/new', content: 'kept: same layer as the opaque marker' },
    ]);
    top = await gzipLayer([{ name: 'srv/code.py', content: `print(${JSON.stringify(run)})\n` }]);
  });

  afterAll(async () => {
    globalThis.fetch = originalFetch;
    await cleanup.cleanUp();
  });

  it('takes each file from the topmost layer that has it; whiteouts and opaque directories hide the lower copies', async () => {
    const image = await push([lower, middle, top], 'layered');
    const files = await readImageFiles(api, image, ['/etc/passwd', 'etc/group', 'app/old.txt', 'opt/old', 'opt/new', 'not/there']);
    expect(text(files)).toEqual({
      'etc/passwd': `root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n# ${run}\n`,
      'etc/group': `root:x:0:\n# ${run}\n`,
      'opt/new': 'kept: same layer as the opaque marker',
    });
    // Settled by the middle layer's first entry: the rest of that download is dropped.
    const from = fetched.length;
    expect(text(await readImageFiles(api, image, ['etc/passwd']))).toEqual({ 'etc/passwd': expect.stringContaining(run) });
    expect(fetched.slice(from)).toEqual([top.digest, middle.digest]);
  });

  it('stops reading once every path is settled: a broken layer below is never fetched; asking for a path that needs it fails clearly', async () => {
    const broken = new TextEncoder().encode(`not gzip ${run}`);
    const junk: TestLayer = { bytes: broken, digest: sha256Digest(broken), diffId: sha256Digest(`tar ${run}`), size: broken.length };
    const image = await push([junk, middle, top], 'broken-bottom');
    const from = fetched.length;
    expect(text(await readImageFiles(api, image, ['etc/passwd', 'app/old.txt']))).toEqual({ 'etc/passwd': expect.stringContaining('app:x:1000') });
    expect(fetched.slice(from)).toEqual([top.digest, middle.digest]);

    const error = await readImageFiles(api, image, ['etc/group']).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toBe(`could not read files of ${host}/${repository}@${image.digest}: layer ${junk.digest} is not a readable tar: incorrect header check`);
  });

  it('refuses a file larger than maxFileBytes (1 MiB by default), naming it', async () => {
    const image = await push([lower, middle, top], 'layered');
    await expect(readImageFiles(api, image, ['big/zeros'])).rejects.toThrow(`layer ${lower.digest}: big/zeros has 1048577 bytes, more than the 1048576 that may be read`);
    await expect(readImageFiles(api, image, ['etc/group'], { maxFileBytes: 10 })).rejects.toThrow(/etc\/group has \d+ bytes, more than the 10 that may be read/);
    expect((await readImageFiles(api, image, ['big/zeros'], { maxFileBytes: 2 * 1024 * 1024 })).get('big/zeros')?.length).toBe(1024 * 1024 + 1);
  });

  it('refuses a zstd layer before fetching it, saying why', async () => {
    const zstd = await zstdLayer([{ name: 'etc/passwd', content: 'in a zstd layer\n' }]);
    const image = await push([lower, zstd], 'zstd');
    const from = fetched.length;
    const error = await readImageFiles(api, image, ['etc/passwd']).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toBe(
      `could not read files of ${host}/${repository}@${image.digest}: layer ${zstd.digest} is zstd-compressed; only gzip and uncompressed layers can be read`,
    );
    expect(fetched.slice(from)).toEqual([]);
  });

  it('an image the registry does not have: REGISTRY_FAILED saying so', async () => {
    const missing = ref(sha256Digest(`missing ${run}`));
    await expect(readImageFiles(api, missing, ['etc/passwd'])).rejects.toThrow(`the registry has no manifest ${repository}:${missing.digest}`);
  });
});
