import type { SecretSink } from '@stowage/plugin-api';

/** An OAuth2 access token and, when the source says, when it expires. */
export interface FetchedToken {
  token: string;
  expiresAt?: Date;
}

/** Where tokens come from: google-auth-library, or the configured `access_token` (no expiry known). */
export type AccessTokenFetcher = () => Promise<FetchedToken>;

/**
 * Fetched again this long before a token expires. Google access tokens last an hour; the login a
 * push starts with must outlast the push. google-auth-library's own clients are given the same
 * margin, so when this asks again they refresh too.
 */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;

/**
 * The registry password: an access token fetched once and shared by every caller until it is
 * within REFRESH_MARGIN_MS of its expiry, then fetched again. A token without a known expiry (the
 * configured `access_token`) is kept. A failed fetch is not cached. Every token is registered as
 * a secret before anyone sees it.
 */
export class GoogleAccessToken {
  private current?: Promise<HeldToken>;

  constructor(
    private readonly fetcher: AccessTokenFetcher,
    private readonly secrets: SecretSink,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    const pending = this.current;
    const held = pending && (await pending.catch(() => undefined));
    if (held && (held.refreshAt === undefined || held.refreshAt > this.now())) return held.token;
    // Another caller started a refresh (or saw the last one fail) while this one waited: share it.
    if (this.current !== pending) return this.get();
    const next = this.fetch();
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = undefined;
    });
    return (await next).token;
  }

  private async fetch(): Promise<HeldToken> {
    const { token, expiresAt } = await this.fetcher();
    this.secrets.add(token);
    if (!expiresAt) return { token };
    // A token that lives less than twice the margin is kept for half its life, not asked for on every call.
    const now = this.now();
    const lifetime = expiresAt.getTime() - now;
    return { token, refreshAt: expiresAt.getTime() - Math.min(REFRESH_MARGIN_MS, lifetime / 2) };
  }
}

interface HeldToken {
  token: string;
  /** When to fetch again (ms since the epoch); undefined: never (no known expiry). */
  refreshAt?: number;
}
