import { createHash } from 'node:crypto';
import { basicAuthorization, type RegistryCredentials } from './RegistryCredentials.js';

/** The token spec's floor: a token without `expires_in` is valid for 60 s. */
const DEFAULT_TOKEN_TTL_SECONDS = 60;
/** Renew a little early so a token does not expire between cache lookup and use. */
const EXPIRY_MARGIN_SECONDS = 5;

export interface BearerTokenRequest {
  /** `realm` of the `WWW-Authenticate: Bearer` challenge. */
  realm: string;
  service?: string;
  /** Space-separated scopes, e.g. `repository:stowage/pipeline:pull,push repository:base:pull`. */
  scope: string;
  credentials: RegistryCredentials | null;
  timeoutMs: number;
}

/** Tokens by realm, service, scope and login, for the life of the process. */
export class BearerTokenCache {
  private readonly entries = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The key names the login by a hash, so the map never holds a password. */
  static keyOf(request: Pick<BearerTokenRequest, 'realm' | 'service' | 'scope' | 'credentials'>): string {
    const login = request.credentials
      ? createHash('sha256').update(`${request.credentials.username}\0${request.credentials.password}`).digest('hex')
      : 'anonymous';
    return [request.realm, request.service ?? '', request.scope, login].join('\n');
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.token;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, token: string, ttlSeconds: number): void {
    this.entries.set(key, { token, expiresAt: this.now() + Math.max(0, ttlSeconds - EXPIRY_MARGIN_SECONDS) * 1000 });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** Shared by every registry component of the process, as docker's client shares its token store. */
export const processTokenCache = new BearerTokenCache();

/** A token endpoint refusal or malformed answer; its message names no credential. */
export class BearerTokenError extends Error {
  override readonly name = 'BearerTokenError';
}

/**
 * Gets a token per the Docker token authentication spec: `GET <realm>?service=…&scope=…`, with
 * basic credentials when there are any (anonymous otherwise), answered by `{token}` or
 * `{access_token}` (OAuth-style servers send only the latter).
 */
export async function fetchBearerToken(request: BearerTokenRequest): Promise<{ token: string; expiresInSeconds: number }> {
  const url = tokenUrl(request);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.credentials) headers['Authorization'] = basicAuthorization(request.credentials);
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel();
    const why = response.status === 401 || response.status === 403 ? ' (credentials rejected or missing)' : '';
    throw new BearerTokenError(`token endpoint ${url.origin}${url.pathname} answered HTTP ${response.status}${why}`);
  }
  const body = (await response.json().catch(() => undefined)) as { token?: unknown; access_token?: unknown; expires_in?: unknown } | undefined;
  const token = [body?.token, body?.access_token].find((t): t is string => typeof t === 'string' && t.length > 0);
  if (!token) throw new BearerTokenError(`token endpoint ${url.origin}${url.pathname} answered without a token`);
  const expiresIn = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_TTL_SECONDS;
  return { token, expiresInSeconds: expiresIn };
}

function tokenUrl(request: BearerTokenRequest): URL {
  let url: URL;
  try {
    url = new URL(request.realm);
  } catch {
    throw new BearerTokenError(`the registry's token realm "${request.realm}" is not a URL`);
  }
  if (request.service) url.searchParams.set('service', request.service);
  for (const scope of request.scope.split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
  return url;
}
