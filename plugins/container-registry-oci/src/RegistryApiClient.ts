import type { ImagePresence, RegistryCredentials } from '@stowage/core';
import { parseWwwAuthenticate, pickChallenge, type AuthChallenge } from './AuthChallenge.js';
import { basicAuthorization, BearerTokenCache, fetchBearerToken, processTokenCache } from './BearerTokenAuth.js';

/** Every manifest kind `docker push` / buildx write: OCI index and manifest, Docker v2 list and manifest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface ManifestProbe {
  presence: ImagePresence;
  /** `Docker-Content-Digest` of the manifest, when present. */
  digest?: string;
  /** Why the presence is `unknown` (never contains a credential). */
  reason?: string;
}

export interface RegistryApiClientOptions {
  /** Origin of the v2 API, e.g. `http://127.0.0.1:5000` or `https://registry-1.docker.io`. */
  baseUrl: string;
  credentials(): Promise<RegistryCredentials | null>;
  timeoutMs: number;
  tokens?: BearerTokenCache;
}

type Authorization = { header: string; tokenKey?: string } | { reason: string };

/** The slice of the Registry HTTP API v2 Stowage needs: does a manifest exist, and its digest. */
export class RegistryApiClient {
  private readonly baseUrl: string;
  private readonly tokens: BearerTokenCache;
  /** The Authorization that last worked per repository, so later probes skip the 401 round trip. */
  private readonly lastAuthorization = new Map<string, { header: string; tokenKey?: string }>();

  constructor(private readonly options: RegistryApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = options.tokens ?? processTokenCache;
  }

  /** `HEAD /v2/<repository>/manifests/<tag or digest>`, answering the auth challenge if asked. */
  async probeManifest(repository: string, reference: string): Promise<ManifestProbe> {
    const url = `${this.baseUrl}/v2/${repository}/manifests/${reference}`;
    try {
      const remembered = this.lastAuthorization.get(repository);
      let response = await this.head(url, remembered?.header);
      if (response.status !== 401) return probeOf(response);
      // A remembered token can expire: forget it so the challenge below fetches a fresh one.
      this.forget(repository, remembered);
      const authorization = await this.authorize(response.headers.get('www-authenticate'), repository);
      if ('reason' in authorization) return { presence: 'unknown', reason: authorization.reason };
      response = await this.head(url, authorization.header);
      if (response.status === 401) {
        this.forget(repository, authorization);
        return { presence: 'unknown', reason: `${this.baseUrl} rejected the credentials (HTTP 401 after authenticating)` };
      }
      if (response.status === 200) this.lastAuthorization.set(repository, authorization);
      return probeOf(response);
    } catch (error) {
      return { presence: 'unknown', reason: `could not reach ${this.baseUrl}: ${describeFetchError(error, this.options.timeoutMs)}` };
    }
  }

  private async head(url: string, authorization: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
    if (authorization) headers['Authorization'] = authorization;
    return fetch(url, { method: 'HEAD', headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
  }

  private forget(repository: string, authorization: { tokenKey?: string } | undefined): void {
    this.lastAuthorization.delete(repository);
    if (authorization?.tokenKey) this.tokens.delete(authorization.tokenKey);
  }

  private async authorize(header: string | null, repository: string): Promise<Authorization> {
    const challenge = pickChallenge(parseWwwAuthenticate(header ?? ''));
    if (!challenge) return { reason: `${this.baseUrl} asks for authentication with an unsupported challenge (${header ?? 'no WWW-Authenticate'})` };
    let credentials: RegistryCredentials | null;
    try {
      credentials = await this.options.credentials();
    } catch (error) {
      return { reason: `could not read the registry login: ${(error as Error).message}` };
    }
    if (challenge.scheme === 'basic') {
      if (!credentials) return { reason: `${this.baseUrl} requires a login and none is configured (set username/password, or docker login)` };
      return { header: basicAuthorization(credentials) };
    }
    return this.bearer(challenge, repository, credentials);
  }

  private async bearer(challenge: AuthChallenge, repository: string, credentials: RegistryCredentials | null): Promise<Authorization> {
    const realm = challenge.params['realm'];
    if (!realm) return { reason: `${this.baseUrl} sent a Bearer challenge without a realm` };
    // Never send a login over plain http when the registry itself is https (a downgrade).
    if (credentials && this.baseUrl.startsWith('https:') && realm.startsWith('http:')) {
      return { reason: `${this.baseUrl} points its token realm at plain http (${realm}); refusing to send credentials there` };
    }
    const request = {
      realm,
      service: challenge.params['service'],
      scope: challenge.params['scope'] ?? `repository:${repository}:pull`,
      credentials,
      timeoutMs: this.options.timeoutMs,
    };
    const tokenKey = BearerTokenCache.keyOf(request);
    const cached = this.tokens.get(tokenKey);
    if (cached) return { header: `Bearer ${cached}`, tokenKey };
    try {
      const { token, expiresInSeconds } = await fetchBearerToken(request);
      this.tokens.set(tokenKey, token, expiresInSeconds);
      return { header: `Bearer ${token}`, tokenKey };
    } catch (error) {
      return { reason: `could not get a registry token: ${describeFetchError(error, this.options.timeoutMs)}` };
    }
  }
}

function probeOf(response: Response): ManifestProbe {
  void response.body?.cancel();
  if (response.status === 200) {
    const digest = response.headers.get('docker-content-digest') ?? undefined;
    return { presence: 'present', ...(digest && { digest }) };
  }
  if (response.status === 404) return { presence: 'absent' };
  const why = response.status === 403 ? ' (access denied)' : response.status === 401 ? ' (login required)' : '';
  return { presence: 'unknown', reason: `registry answered HTTP ${response.status}${why}` };
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : error.message;
}
