import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServiceAccount } from '@stowage/gcp-auth-emulator';

/** Where google-auth-library (gtoken 8) sends every service-account token request; it cannot be configured. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export interface IssuedToken {
  token: string;
  principal: string;
  scope: string;
}

/**
 * Google's OAuth2 token endpoint for the JWT-bearer grant (RFC 7523), on loopback: it checks the
 * assertion as Google does — RS256 signed by a trusted service account's key, `iss` that account,
 * `aud` the token URL, a `scope`, `iat`/`exp` an hour at most and not expired — and answers
 * `{ access_token, expires_in, token_type }`, or 400 `invalid_grant` as Google words it.
 */
export class OAuthTokenEndpoint {
  readonly issued: IssuedToken[] = [];
  readonly refusals: string[] = [];
  /** Lifetime of the tokens it hands out, in seconds. */
  expiresIn = 3600;
  private server?: Server;
  url = '';

  /** `token`: the access token to hand out every time (e.g. a loopback registry's password); default: a new one each time. */
  constructor(
    private readonly accounts: readonly TestServiceAccount[],
    private readonly options: { token?: string } = {},
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * gaxios options for google-auth-library's clients that send the token request here instead of
   * Google (the library's token URL is fixed); every other request goes out unchanged (and the
   * loopback guard stops it).
   */
  transporterOptions(): { fetchImplementation: typeof fetch } {
    const fetchImplementation = ((input: string | URL | Request, init?: RequestInit) =>
      fetch(String(input) === GOOGLE_TOKEN_URL ? this.url : input, init)) as typeof fetch;
    return { fetchImplementation };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = new URLSearchParams(body);
    if (req.method !== 'POST' || form.get('grant_type') !== JWT_BEARER) return this.refuse(res, 'unsupported_grant_type', 'Invalid grant_type: ' + String(form.get('grant_type')));
    const verdict = this.check(form.get('assertion') ?? '');
    if ('refusal' in verdict) return this.refuse(res, 'invalid_grant', verdict.refusal);
    const token = this.options.token ?? `ya29.test-${randomBytes(12).toString('hex')}`;
    this.issued.push({ token, principal: verdict.principal, scope: verdict.scope });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: this.expiresIn, token_type: 'Bearer' }));
  }

  private check(assertion: string): { principal: string; scope: string } | { refusal: string } {
    const [headerPart = '', payloadPart = '', signature = ''] = assertion.split('.');
    const header = decode(headerPart);
    const claims = decode(payloadPart);
    if (!header || !claims || header['alg'] !== 'RS256') return { refusal: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' };
    const account = this.accounts.find((a) => a.email === claims['iss']);
    if (!account) return { refusal: 'Invalid grant: account not found' };
    if (!verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), createPublicKey(account.publicKeyPem), Buffer.from(signature, 'base64url'))) {
      return { refusal: 'Invalid JWT Signature.' };
    }
    const now = Math.floor(Date.now() / 1000);
    const { aud, exp, iat, scope } = claims;
    if (aud !== GOOGLE_TOKEN_URL) return { refusal: `Invalid JWT: aud is not ${GOOGLE_TOKEN_URL}` };
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp < now || exp - iat > 3600 || iat > now + 300) {
      return { refusal: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' };
    }
    if (typeof scope !== 'string' || !scope.split(' ').includes(CLOUD_PLATFORM)) return { refusal: 'Invalid OAuth scope or ID token audience provided.' };
    return { principal: account.email, scope };
  }

  private refuse(res: ServerResponse, error: string, description: string): void {
    this.refusals.push(`${error}: ${description}`);
    res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error, error_description: description }));
  }
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
