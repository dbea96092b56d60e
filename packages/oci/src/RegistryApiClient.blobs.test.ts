/**
 * Blob reads against in-process loopback servers, for what the e2e registry never does: redirect
 * to a storage backend on another origin, serve bytes that do not match the digest, stall.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

const BLOB = Buffer.from('a config blob, or a layer\n'.repeat(100));
const DIGEST = sha256Digest(BLOB);
const LOGIN = { username: 'ciuser', password: 'ci-pass-123' };
const BASIC = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`;

interface Fake {
  origin: string;
  requests: { url: string; authorization?: string }[];
}
const servers: Server[] = [];

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** A registry with Basic auth whose blob GETs answer `blob(req, res)` once the login is right. */
const registry = (blob: (req: IncomingMessage, res: ServerResponse) => void) =>
  serve((req, res) => {
    if (req.headers.authorization !== BASIC) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' }).end();
    if (req.url?.includes('/blobs/sha256:')) return blob(req, res);
    res.writeHead(404).end();
  });

const client = (fake: Fake, timeoutMs = 5_000) =>
  new RegistryApiClient({ baseUrl: fake.origin, auth: async () => ({ type: 'basic', ...LOGIN }), timeoutMs, tokens: new BearerTokenCache() });

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('RegistryApiClient — blob reads', () => {
  it('streams a blob and reads a small one whole; undefined when the registry has none', async () => {
    const fake = await registry((req, res) => (req.url?.endsWith(DIGEST) ? res.writeHead(200, { 'Content-Length': BLOB.length }).end(BLOB) : res.writeHead(404).end()));
    const api = client(fake);
    expect(await drain((await api.getBlob('a/b', DIGEST))!)).toEqual(BLOB);
    expect(Buffer.from((await api.getBlobBytes('a/b', DIGEST))!)).toEqual(BLOB);
    expect(await api.getBlob('a/b', sha256Digest('absent'))).toBeUndefined();
    expect(await api.getBlobBytes('a/b', sha256Digest('absent'))).toBeUndefined();
  });

  it('follows a redirect to a storage backend on another origin without sending it the registry login', async () => {
    const storage = await serve((req, res) => void (req.url === '/bucket/blob?sig=abc' ? res.writeHead(200).end(BLOB) : res.writeHead(403).end()));
    const fake = await registry((_req, res) => void res.writeHead(307, { Location: `${storage.origin}/bucket/blob?sig=abc` }).end());
    expect(Buffer.from((await client(fake).getBlobBytes('a/b', DIGEST))!)).toEqual(BLOB);
    expect(fake.requests.at(-1)?.authorization).toBe(BASIC);
    expect(storage.requests).toEqual([{ url: '/bucket/blob?sig=abc', authorization: undefined }]);
  });

  it('follows a relative redirect on the registry’s own origin with the login', async () => {
    const fake = await serve((req, res) => {
      if (req.headers.authorization !== BASIC) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' }).end();
      if (req.url?.startsWith('/v2/')) return void res.writeHead(302, { Location: '/storage/blob' }).end();
      res.writeHead(200).end(BLOB);
    });
    expect(Buffer.from((await client(fake).getBlobBytes('a/b', DIGEST))!)).toEqual(BLOB);
    expect(fake.requests.at(-1)).toEqual({ url: '/storage/blob', authorization: BASIC });
  });

  it('gives up on a redirect loop', async () => {
    const fake = await registry((req, res) => void res.writeHead(307, { Location: req.url! }).end());
    const error = await rejection(client(fake).getBlob('a/b', DIGEST));
    expect((error as Error).message).toBe(`could not read the blob ${DIGEST} from a/b: ${fake.origin} redirected too many times`);
  });

  it('the stream fails when the bytes do not hash to the digest (REGISTRY_FAILED)', async () => {
    const fake = await registry((_req, res) => void res.writeHead(200).end('tampered'));
    const error = await rejection(drain((await client(fake).getBlob('a/b', DIGEST))!));
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toBe(`could not read the blob ${DIGEST} from a/b: ${fake.origin} served content whose digest is ${sha256Digest('tampered')}`);
  });

  it('refuses more than maxBytes: announced by Content-Length before reading, or streamed without one', async () => {
    const announced = await registry((_req, res) => void res.writeHead(200, { 'Content-Length': BLOB.length }).end(BLOB));
    const tooLarge = `could not read the blob ${DIGEST} from a/b: it has more than the 100 bytes expected`;
    await expect(client(announced).getBlob('a/b', DIGEST, { maxBytes: 100 })).rejects.toThrow(tooLarge);
    const chunked = await registry((_req, res) => {
      res.writeHead(200);
      res.write(BLOB.subarray(0, 60));
      res.end(BLOB.subarray(60));
    });
    await expect(client(chunked).getBlobBytes('a/b', DIGEST, { maxBytes: 100 })).rejects.toThrow(tooLarge);
    await expect(client(chunked).getBlobBytes('a/b', DIGEST)).resolves.toHaveLength(BLOB.length);
  });

  it('aborts a download that stalls after the headers, after the client’s timeout of silence', async () => {
    const fake = await registry((_req, res) => {
      res.writeHead(200, { 'Content-Length': BLOB.length });
      res.write(BLOB.subarray(0, 10));
    });
    const stream = (await client(fake, 300).getBlob('a/b', DIGEST))!;
    const error = await rejection(drain(stream));
    expect((error as Error).message).toBe(`could not read the blob ${DIGEST} from a/b: ${fake.origin} sent nothing for 0.3 s`);
  });

  it('a slow download that keeps sending is not cut off by the timeout', async () => {
    const fake = await registry((_req, res) => {
      res.writeHead(200, { 'Content-Length': BLOB.length });
      let at = 0;
      const timer = setInterval(() => {
        res.write(BLOB.subarray(at, at + 300));
        at += 300;
        if (at >= BLOB.length) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    expect(Buffer.from((await client(fake, 300).getBlobBytes('a/b', DIGEST))!)).toEqual(BLOB);
  });

  it('the caller’s abort ends a download with the caller’s reason', async () => {
    const fake = await registry((_req, res) => {
      res.writeHead(200, { 'Content-Length': BLOB.length });
      res.write(BLOB.subarray(0, 10));
    });
    const controller = new AbortController();
    const stream = (await client(fake).getBlob('a/b', DIGEST, { signal: controller.signal }))!;
    const reason = new Error('cancelled by the user');
    setTimeout(() => controller.abort(reason), 50);
    expect(await rejection(drain(stream))).toBe(reason);
  });
});
