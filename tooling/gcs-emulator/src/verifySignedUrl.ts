import { createHash, createPublicKey, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { TestServiceAccount } from '@stowage/gcp-auth-emulator';

/** A request to the XML API (`/{bucket}/{object}`) as received: the path still percent-encoded. */
export interface SignedRequest {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Why GCS refuses a signed URL: the XML error it answers. */
export interface SignedUrlRefusal {
  status: 400 | 403;
  code: 'MalformedSecurityHeader' | 'ExpiredToken' | 'SignatureDoesNotMatch' | 'InvalidArgument';
  message: string;
  details: string;
  stringToSign?: string;
  canonicalRequest?: string;
}

export type SignedUrlVerdict = { ok: true; signer: string } | ({ ok: false } & SignedUrlRefusal);

const ALGORITHM = 'GOOG4-RSA-SHA256';
const SEVEN_DAYS = 7 * 24 * 3600;

/** RFC 3986 percent-encoding, as V4 signing asks of query names and values: only `A-Za-z0-9-._~` stay. */
const strictEncode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const malformed = (details: string): SignedUrlVerdict => ({ ok: false, status: 400, code: 'MalformedSecurityHeader', message: 'Your request has a malformed header.', details });

/** `20260101T120000Z` → a Date, or undefined. */
function parseGoogDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

function canonicalHeaders(request: SignedRequest, signedHeaders: string[]): string {
  return signedHeaders
    .map((name) => {
      const raw = request.headers[name];
      // The client signs the endpoint's host name without a port (real GCS is on 443, so the Host it receives has none).
      const value = name === 'host' ? String(raw ?? '').replace(/:\d+$/, '') : [raw ?? ''].flat().join(',');
      return `${name}:${value.trim().replace(/\s{2,}/g, ' ')}\n`;
    })
    .join('');
}

/** The canonical request of Google's V4 signing process, rebuilt from what was received. */
export function canonicalRequestOf(request: SignedRequest, signedHeaders: string[]): string {
  const query = [...request.query.entries()]
    .filter(([name]) => name !== 'X-Goog-Signature')
    .map(([name, value]) => [strictEncode(name), strictEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const payload = signedHeaders.includes('x-goog-content-sha256') ? String(request.headers['x-goog-content-sha256']) : 'UNSIGNED-PAYLOAD';
  return [request.method, request.rawPath, query, canonicalHeaders(request, signedHeaders), signedHeaders.join(';'), payload].join('\n');
}

/**
 * Verifies a V4 signed URL (`X-Goog-Algorithm=GOOG4-RSA-SHA256`) as GCS does: the parameters are
 * well formed, the URL has not expired, and the RSA-SHA256 signature over the string-to-sign
 * (algorithm, date, credential scope, SHA-256 of the canonical request) verifies with the public
 * key of the service account the credential names.
 */
export function verifySignedUrl(request: SignedRequest, signers: readonly TestServiceAccount[], now: Date): SignedUrlVerdict {
  const param = (name: string) => request.query.get(name) ?? '';
  if (param('X-Goog-Algorithm') !== ALGORITHM) return malformed(`The value ${param('X-Goog-Algorithm')} for X-Goog-Algorithm is not supported; use ${ALGORITHM}.`);
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/storage\/goog4_request$/.exec(param('X-Goog-Credential'));
  const date = parseGoogDate(param('X-Goog-Date'));
  const expires = Number(param('X-Goog-Expires'));
  if (!credential) return malformed('Invalid credential: expected <email>/<YYYYMMDD>/<location>/storage/goog4_request.');
  if (!date || param('X-Goog-Date').slice(0, 8) !== credential[2]) return malformed('Invalid X-Goog-Date, or a date that is not the credential scope date.');
  if (!/^\d+$/.test(param('X-Goog-Expires')) || expires < 1 || expires > SEVEN_DAYS) return malformed(`X-Goog-Expires must be 1 to ${SEVEN_DAYS} seconds.`);
  const signedHeaders = param('X-Goog-SignedHeaders').split(';');
  if (!signedHeaders.includes('host')) return malformed('X-Goog-SignedHeaders must include host.');
  const expiry = date.getTime() / 1000 + expires;
  if (now.getTime() / 1000 > expiry) return { ok: false, status: 400, code: 'ExpiredToken', message: 'The provided token has expired.', details: `Request has expired: ${expiry}` };
  const canonicalRequest = canonicalRequestOf(request, signedHeaders);
  const scope = param('X-Goog-Credential').slice(credential[1]!.length + 1);
  const stringToSign = [ALGORITHM, param('X-Goog-Date'), scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const account = signers.find((a) => a.email === credential[1]);
  const signature = Buffer.from(param('X-Goog-Signature'), 'hex');
  if (!account || !/^[0-9a-f]+$/i.test(param('X-Goog-Signature')) || !verify('sha256', Buffer.from(stringToSign), createPublicKey(account.publicKeyPem), signature)) {
    return {
      ok: false,
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'Access denied.',
      details: 'The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.',
      stringToSign,
      canonicalRequest,
    };
  }
  return { ok: true, signer: account.email };
}
