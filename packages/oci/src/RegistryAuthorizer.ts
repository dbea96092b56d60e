import type { RegistryAuth, RegistryAuthScope, SecretSink } from '@stowage/plugin-api';
import { parseWwwAuthenticate, pickChallenge, type AuthChallenge } from './AuthChallenge.js';
import { BearerTokenCache, fetchBearerToken } from './BearerTokenAuth.js';
import { describeFetchError, registryFailure } from './registryFailure.js';
import { basicAuthorization, type RegistryCredentials } from './RegistryCredentials.js';

/** Where the login for a scope comes from: a container registry component's `auth(scope)`. */
export type RegistryAuthSource = (scope: RegistryAuthScope) => Promise<RegistryAuth>;

/** An `Authorization` header that answered a challenge, and what it depends on. */
export interface Authorization {
  header: string;
  /** Key of the bearer token in the token cache (forgotten when the registry refuses it). */
  tokenKey?: string;
  /** When a token the registry component handed out expires (ms since the epoch). */
  expiresAt?: number;
}

export interface RegistryAuthorizerOptions {
  /** Origin of the v2 API, for messages and the downgrade check. */
  baseUrl: string;
  auth: RegistryAuthSource;
  tokens: BearerTokenCache;
  timeoutMs: number;
  /** Told every token fetched, so the host's redactor hides it wherever it might show up. */
  secrets?: SecretSink;
  now?: () => number;
}

/**
 * `repository:a:pull,push repository:b:pull`: what a request needs, merged with what the
 * challenge asks for (registries may name more, e.g. a mount's source), actions sorted.
 */
export function tokenScope(scopes: readonly RegistryAuthScope[], challengeScope = ''): string {
  const actions = new Map<string, Set<string>>();
  const add = (resource: string, list: Iterable<string>) => {
    const set = actions.get(resource) ?? new Set<string>();
    for (const action of list) if (action) set.add(action);
    actions.set(resource, set);
  };
  for (const scope of scopes) add(`repository:${scope.repository}`, scope.actions);
  for (const entry of challengeScope.split(' ').filter(Boolean)) {
    const colon = entry.lastIndexOf(':');
    add(colon > 0 ? entry.slice(0, colon) : entry, colon > 0 ? entry.slice(colon + 1).split(',') : []);
  }
  return [...actions].map(([resource, set]) => (set.size ? `${resource}:${[...set].sort().join(',')}` : resource)).join(' ');
}

/**
 * Answers registry auth challenges for the distribution client (Docker token auth spec, Basic,
 * or a token the registry component hands out), and remembers what worked per scope so later
 * requests skip the 401 round trip.
 */
export class RegistryAuthorizer {
  private readonly remembered = new Map<string, Authorization>();
  private readonly now: () => number;

  constructor(private readonly options: RegistryAuthorizerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The header that last worked for these scopes, unless its token has expired. */
  current(scopes: readonly RegistryAuthScope[]): Authorization | undefined {
    const key = tokenScope(scopes);
    const authorization = this.remembered.get(key);
    if (authorization?.expiresAt !== undefined && authorization.expiresAt <= this.now()) {
      this.remembered.delete(key);
      return undefined;
    }
    return authorization;
  }

  remember(scopes: readonly RegistryAuthScope[], authorization: Authorization): void {
    this.remembered.set(tokenScope(scopes), authorization);
  }

  /** Drops a header the registry refused, and its token, so the next challenge fetches a fresh one. */
  forget(scopes: readonly RegistryAuthScope[], authorization: Authorization | undefined): void {
    this.remembered.delete(tokenScope(scopes));
    if (authorization?.tokenKey) this.options.tokens.delete(authorization.tokenKey);
  }

  /** Answers a 401's `WWW-Authenticate`; throws REGISTRY_FAILED saying why when it cannot. */
  async answer(header: string | null, scopes: readonly RegistryAuthScope[]): Promise<Authorization> {
    const { baseUrl } = this.options;
    const challenge = pickChallenge(parseWwwAuthenticate(header ?? ''));
    if (!challenge) throw registryFailure(`${baseUrl} asks for authentication with an unsupported challenge (${header ?? 'no WWW-Authenticate'})`);
    const auth = await this.login(scopes);
    if (auth.type === 'bearer') {
      return { header: `Bearer ${auth.token}`, ...(auth.expiresAt && { expiresAt: auth.expiresAt.getTime() }) };
    }
    if (auth.type === 'ambient') {
      throw registryFailure(`${baseUrl} asks for a login, and the container registry leaves logging in to the image builder (ambient)`);
    }
    const credentials = auth.type === 'basic' ? { username: auth.username, password: auth.password } : null;
    if (challenge.scheme === 'bearer') return this.bearer(challenge, scopes, credentials);
    if (!credentials) {
      throw registryFailure(`${baseUrl} requires a login and none is configured (set username/password, or docker login)`);
    }
    return { header: basicAuthorization(credentials) };
  }

  /** Asked for the first scope: it is the repository written to (a mount's source only needs pull). */
  private async login(scopes: readonly RegistryAuthScope[]): Promise<RegistryAuth> {
    const scope = scopes[0] ?? { repository: '', actions: ['pull'] };
    try {
      return await this.options.auth(scope);
    } catch (error) {
      throw registryFailure(`could not read the registry login: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  private async bearer(challenge: AuthChallenge, scopes: readonly RegistryAuthScope[], credentials: RegistryCredentials | null): Promise<Authorization> {
    const { baseUrl, timeoutMs, tokens } = this.options;
    const realm = challenge.params['realm'];
    if (!realm) throw registryFailure(`${baseUrl} sent a Bearer challenge without a realm`);
    // Never send a login over plain http when the registry itself is https (a downgrade).
    if (credentials && baseUrl.startsWith('https:') && realm.startsWith('http:')) {
      throw registryFailure(`${baseUrl} points its token realm at plain http (${realm}); refusing to send credentials there`);
    }
    const request = { realm, service: challenge.params['service'], scope: tokenScope(scopes, challenge.params['scope']), credentials, timeoutMs };
    const tokenKey = BearerTokenCache.keyOf(request);
    const cached = tokens.get(tokenKey);
    if (cached) return { header: `Bearer ${cached}`, tokenKey };
    try {
      const { token, expiresInSeconds } = await fetchBearerToken(request);
      this.options.secrets?.add(token);
      tokens.set(tokenKey, token, expiresInSeconds);
      return { header: `Bearer ${token}`, tokenKey };
    } catch (error) {
      throw registryFailure(`could not get a registry token: ${describeFetchError(error, timeoutMs)}`, { cause: error });
    }
  }
}
