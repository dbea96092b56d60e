import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from './CodeBuildEmulator.js';
import { verifySigV4 } from './verifySigV4.js';

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = typeof secret === 'string' ? Buffer.from(secret) : secret instanceof ArrayBuffer ? Buffer.from(secret) : secret ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : undefined;
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** A request signed the way the SDK signs it (x-amz-content-sha256 included). */
async function signed(body: string, date: Date, extra: Record<string, string> = {}) {
  const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'eu-west-1', service: 'codebuild', sha256: Sha256 });
  const headers = { host: '127.0.0.1:9', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeBuild_20161006.BatchGetBuilds', 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), ...extra };
  const request = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9, path: '/', headers, body }, { signingDate: date });
  return { method: 'POST', url: '/', headers: request.headers as Record<string, string>, body: Buffer.from(body) };
}

describe('verifySigV4: what the signer alone does not prove', () => {
  const now = new Date('2026-11-29T12:00:00Z');

  it('accepts the request as signed', async () => {
    expect(await verifySigV4(await signed('{"ids":["b"]}', now), 'codebuild', TEST_CREDENTIALS, now)).toBeUndefined();
  });

  it('rejects a body that is not the one whose hash was signed', async () => {
    const request = { ...(await signed('{"ids":["b"]}', now)), body: Buffer.from('{"ids":["other"]}') };
    expect(await verifySigV4(request, 'codebuild', TEST_CREDENTIALS, now)).toMatchObject({ type: 'InvalidSignatureException' });
  });

  it('rejects a request signed more than five minutes away from the server time', async () => {
    const old = await signed('{}', new Date(now.getTime() - 6 * 60_000));
    expect(await verifySigV4(old, 'codebuild', TEST_CREDENTIALS, now)).toMatchObject({ type: 'InvalidSignatureException', message: expect.stringContaining('5 minutes') });
  });

  it('rejects a session token the test credentials do not have', async () => {
    const withToken = await signed('{}', now, { 'x-amz-security-token': 'made-up' });
    expect(await verifySigV4(withToken, 'codebuild', TEST_CREDENTIALS, now)).toMatchObject({ type: 'UnrecognizedClientException' });
  });
});
