import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@stowage/plugin-api';
import { gateRealTool, probe } from '@stowage/testing';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { S3rverBed } from './__fixtures__/s3rverBed.js';
import { s3ArtifactStoreFlavor } from './plugin.js';

const run = promisify(execFile);
// What the in-image bootstrap does: Python's standard library, no headers of its own.
const URLLIB_GET = 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())';
const hasPython = await probe(['python3', '--version']);

let bed: S3rverBed;
let store: ArtifactStore;
const secrets: string[] = [];
const archive = randomBytes(300_000);

beforeAll(async () => {
  bed = await new S3rverBed().start();
  store = await s3ArtifactStoreFlavor.create(bed.config(), flavorContext(secrets), {});
  await store.put('code_uploads/app.tar.gz', archive, { contentType: 'application/gzip' });
});
afterAll(() => bed?.stop());

describe('presign (real SDK presigner; s3rver checks expiry and the key id, not the signature)', () => {
  it('gives a GET URL that fetch reads without credentials, signed over the host header alone', async () => {
    const url = await store.presign!('code_uploads/app.tar.gz', 300);
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`${bed.endpoint}/stowage-test/stowage/code_uploads/app.tar.gz`);
    // A plain GET with no extra headers (urllib's, curl's) is exactly what was signed.
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(parsed.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(archive)).toBe(true);
  });

  it("registers each URL's signature as a secret, so no output shows a usable URL", async () => {
    const url = await store.presign!('code_uploads/app.tar.gz', 60);
    expect(secrets).toContain(new URL(url).searchParams.get('X-Amz-Signature'));
  });

  if (gateRealTool('python3', hasPython, 'apt-get install -y python3')) {
    it("is read by Python's urllib, as the in-image bootstrap reads it", async () => {
      const url = await store.presign!('code_uploads/app.tar.gz', 300);
      // No proxy variables: a proxy would take the loopback request elsewhere.
      const { stdout } = await run('python3', ['-c', URLLIB_GET, url], { encoding: 'buffer', env: { PATH: process.env.PATH, NO_PROXY: '*', no_proxy: '*' } });
      expect(Buffer.compare(stdout, archive)).toBe(0);
    });
  }

  it('presigns a key that does not exist (the GET then answers 404)', async () => {
    const response = await fetch(await store.presign!('code_uploads/missing.tar.gz', 60));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchKey</Code>');
  });

  it('expires: a URL of 1 second is refused 2 seconds later', async () => {
    const url = await store.presign!('code_uploads/app.tar.gz', 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it.each([0, -5, 1.5, 604_801])('refuses a lifetime of %s seconds (SigV4 allows 1 s to 7 days) as USAGE', async (ttl) => {
    const failure = await failureOf(store.presign!('code_uploads/app.tar.gz', ttl));
    expect(failure.code).toBe('USAGE');
    expect(failure.message).toBe(`a presigned S3 URL lives 1 to 604800 seconds (7 days), not ${ttl}`);
  });
});
