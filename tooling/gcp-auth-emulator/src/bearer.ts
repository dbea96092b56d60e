/**
 * What every loopback GCP emulator checks on a request: the `Authorization: Bearer …` header holds
 * either an access token the test bed issued, or a self-signed JWT of a trusted service account
 * (what `google-auth-library`'s `JWT` sends with `useJWTAccessWithScope`: RS256, `kid` = the key id,
 * `iss` = `sub` = the account's email, a `scope` claim, `exp` in the future). The signature is
 * verified with the account's public key, as Google does.
 */
import { createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { TestServiceAccount } from './serviceAccount.js';

export interface GoogleBearerTrust {
  accessTokens?: readonly string[];
  serviceAccounts?: readonly TestServiceAccount[];
  /** Scopes any one of which a JWT must carry; default: cloud-platform. */
  scopes?: readonly string[];
  /** Clock for `exp`/`iat` checks (seconds since the epoch); default: now. */
  now?: () => number;
}

export type BearerVerdict = { ok: true; principal: string } | { ok: false; status: 401 | 403; reason: string };

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
/** Google accepts self-signed JWTs valid for at most an hour. */
const MAX_LIFETIME_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 300;

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function verifyJwt(token: string, trust: GoogleBearerTrust): BearerVerdict {
  const parts = token.split('.');
  const fail = (reason: string): BearerVerdict => ({ ok: false, status: 401, reason });
  if (parts.length !== 3) return fail('Invalid Credentials');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims) return fail('Invalid Credentials: malformed JWT');
  if (header['alg'] !== 'RS256') return fail(`Invalid Credentials: JWT algorithm ${String(header['alg'])} is not RS256`);
  const account = (trust.serviceAccounts ?? []).find((a) => a.email === claims['iss']);
  if (!account) return fail('Invalid Credentials: the JWT issuer is not a known service account');
  if (header['kid'] !== undefined && header['kid'] !== account.keyId) return fail('Invalid Credentials: unknown key id');
  const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), createPublicKey(account.publicKeyPem), Buffer.from(signaturePart, 'base64url'));
  if (!signed) return fail('Invalid Credentials: JWT signature does not verify');
  if (claims['sub'] !== undefined && claims['sub'] !== account.email) return fail('Invalid Credentials: JWT subject is not the issuer');
  const now = trust.now?.() ?? Math.floor(Date.now() / 1000);
  const exp = claims['exp'];
  const iat = claims['iat'];
  if (typeof exp !== 'number' || exp + CLOCK_SKEW_SECONDS < now) return fail('Invalid Credentials: the JWT has expired');
  if (typeof iat !== 'number' || iat - CLOCK_SKEW_SECONDS > now || exp - iat > MAX_LIFETIME_SECONDS) return fail('Invalid Credentials: the JWT lifetime is invalid');
  const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
  const wanted = trust.scopes ?? [CLOUD_PLATFORM];
  if (!scopes.some((s) => wanted.includes(s))) {
    return { ok: false, status: 403, reason: `Request had insufficient authentication scopes (needs one of ${wanted.join(', ')})` };
  }
  return { ok: true, principal: account.email };
}

/** Checks an `Authorization` header value against what the test bed trusts. */
export function verifyGoogleBearer(authorization: string | undefined, trust: GoogleBearerTrust): BearerVerdict {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!match) return { ok: false, status: 401, reason: 'Request is missing required authentication credential. Expected OAuth 2 access token.' };
  const token = match[1]!;
  const known = (trust.accessTokens ?? []).find((t) => sameText(t, token));
  if (known !== undefined) return { ok: true, principal: 'access-token' };
  if (token.split('.').length === 3) return verifyJwt(token, trust);
  return { ok: false, status: 401, reason: 'Request had invalid authentication credentials. Expected OAuth 2 access token.' };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 501: 'UNIMPLEMENTED', 503: 'UNAVAILABLE',
};

/** Google's JSON API error body: `{ error: { code, message, status, errors: [{ message, domain, reason }] } }`. */
export function googleErrorBody(status: number, message: string, reason?: string): { error: { code: number; message: string; status: string; errors: { message: string; domain: string; reason: string }[] } } {
  const name = STATUS_NAMES[status] ?? 'UNKNOWN';
  const defaultReason = status === 401 ? 'authError' : status === 403 ? 'forbidden' : status === 404 ? 'notFound' : 'invalid';
  return { error: { code: status, message, status: name, errors: [{ message, domain: 'global', reason: reason ?? defaultReason }] } };
}
