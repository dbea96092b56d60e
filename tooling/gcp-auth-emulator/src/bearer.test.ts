import { createSign } from 'node:crypto';
import { JWT } from 'google-auth-library';
import { JWT as JWTv9 } from 'google-auth-library-v9';
import { beforeAll, describe, expect, it } from 'vitest';
import { googleErrorBody, makeTestServiceAccount, verifyGoogleBearer, type TestServiceAccount } from './index.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

function headerOf(headers: unknown): string | undefined {
  if (headers instanceof Headers) return headers.get('authorization') ?? undefined;
  return (headers as Record<string, string>)['Authorization'];
}

/** What google-auth-library sends for a service-account key with `useJWTAccessWithScope` (both majors the plugins use). */
async function selfSignedBearer(account: TestServiceAccount, major: 9 | 10, scopes = [SCOPE]): Promise<string> {
  const key = JSON.parse(account.keyJson) as { client_email: string; private_key: string; private_key_id: string };
  const options = { email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes };
  const client = major === 10 ? new JWT(options) : new JWTv9(options);
  // Not a constructor option (it is ignored there): set on the client, it makes the JWT the bearer.
  client.useJWTAccessWithScope = true;
  const header = headerOf(await client.getRequestHeaders('http://127.0.0.1:9/storage/v1/b'));
  if (!header) throw new Error('google-auth-library sent no Authorization header');
  return header;
}

/** A JWT signed by `account` with the given claims (to test what google-auth-library would never send). */
function signed(account: TestServiceAccount, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: account.keyId }): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  const key = (JSON.parse(account.keyJson) as { private_key: string }).private_key;
  return `Bearer ${input}.${createSign('sha256').update(input).sign(key, 'base64url')}`;
}

describe('verifyGoogleBearer', () => {
  let account: TestServiceAccount;
  let stranger: TestServiceAccount;
  beforeAll(() => {
    account = makeTestServiceAccount();
    stranger = makeTestServiceAccount('stranger@other-project.iam.gserviceaccount.com', 'other-project');
  });

  it.each([9, 10] as const)("accepts google-auth-library v%i's self-signed JWT of a trusted service account", async (major) => {
    const header = await selfSignedBearer(account, major);
    expect(verifyGoogleBearer(header, { serviceAccounts: [account] })).toEqual({ ok: true, principal: account.email });
  });

  it('refuses a JWT of an untrusted account, a tampered one, and one signed with another key', async () => {
    const header = await selfSignedBearer(stranger, 10);
    expect(verifyGoogleBearer(header, { serviceAccounts: [account] })).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('not a known service account') });

    const good = await selfSignedBearer(account, 10);
    const [h, p, s] = good.slice('Bearer '.length).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims, exp: (claims['exp'] as number) + 60 })).toString('base64url')}.${s}`;
    expect(verifyGoogleBearer(tampered, { serviceAccounts: [account] })).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });

    const impostor = { ...stranger, email: account.email, keyId: account.keyId };
    const now = Math.floor(Date.now() / 1000);
    const forged = signed(impostor, { iss: account.email, sub: account.email, scope: SCOPE, iat: now, exp: now + 600 });
    expect(verifyGoogleBearer(forged, { serviceAccounts: [account] })).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
  });

  it('refuses an expired JWT, a too-long one, one without the scope, and a non-RS256 one', async () => {
    const header = await selfSignedBearer(account, 10);
    const later = () => Math.floor(Date.now() / 1000) + 2 * 3600;
    expect(verifyGoogleBearer(header, { serviceAccounts: [account], now: later })).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('expired') });

    const now = Math.floor(Date.now() / 1000);
    expect(verifyGoogleBearer(signed(account, { iss: account.email, scope: SCOPE, iat: now, exp: now + 7200 }), { serviceAccounts: [account] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('lifetime'),
    });
    const narrow = await selfSignedBearer(account, 10, ['https://www.googleapis.com/auth/userinfo.email']);
    expect(verifyGoogleBearer(narrow, { serviceAccounts: [account] })).toMatchObject({ ok: false, status: 403 });
    expect(verifyGoogleBearer(narrow, { serviceAccounts: [account], scopes: ['https://www.googleapis.com/auth/userinfo.email'] })).toMatchObject({ ok: true });
    expect(verifyGoogleBearer(signed(account, { iss: account.email, scope: SCOPE, iat: now, exp: now + 60 }, { alg: 'none' }), { serviceAccounts: [account] })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not RS256'),
    });
  });

  it('accepts only the access tokens the bed issued, and asks for a token when there is none', () => {
    expect(verifyGoogleBearer('Bearer ya29.good', { accessTokens: ['ya29.good'] })).toEqual({ ok: true, principal: 'access-token' });
    expect(verifyGoogleBearer('Bearer ya29.bad', { accessTokens: ['ya29.good'] })).toMatchObject({ ok: false, status: 401 });
    expect(verifyGoogleBearer('Basic dXNlcjpwYXNz', { accessTokens: ['ya29.good'] })).toMatchObject({ ok: false, reason: expect.stringContaining('missing required authentication') });
    expect(verifyGoogleBearer(undefined, {})).toMatchObject({ ok: false, status: 401 });
  });
});

describe('googleErrorBody', () => {
  it("has the shape of Google's JSON API errors", () => {
    expect(googleErrorBody(404, 'No such object: b/o')).toEqual({
      error: { code: 404, message: 'No such object: b/o', status: 'NOT_FOUND', errors: [{ message: 'No such object: b/o', domain: 'global', reason: 'notFound' }] },
    });
  });
});
