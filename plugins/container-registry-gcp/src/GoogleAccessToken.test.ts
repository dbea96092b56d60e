import { describe, expect, it } from 'vitest';
import { GoogleAccessToken, REFRESH_MARGIN_MS, type FetchedToken } from './GoogleAccessToken.js';

const HOUR = 3600_000;

/** A token source that hands out `token-1`, `token-2`, … each valid `lifetimeMs` from the clock (null: no expiry). */
function source(clock: { now: number }, lifetimeMs: number | null = HOUR) {
  const calls: number[] = [];
  const fetcher = (): Promise<FetchedToken> => {
    calls.push(clock.now);
    const token = `token-${calls.length}`;
    return Promise.resolve(lifetimeMs === null ? { token } : { token, expiresAt: new Date(clock.now + lifetimeMs) });
  };
  return { calls, fetcher };
}

describe('GoogleAccessToken', () => {
  it(`keeps a token until ${REFRESH_MARGIN_MS / 60_000} minutes before it expires, then fetches a new one`, async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const { calls, fetcher } = source(clock);
    const secrets: string[] = [];
    const token = new GoogleAccessToken(fetcher, { add: (s) => void secrets.push(s) }, () => clock.now);
    expect(await token.get()).toBe('token-1');
    clock.now += HOUR - REFRESH_MARGIN_MS - 1000;
    expect(await token.get()).toBe('token-1');
    clock.now += 2000;
    expect(await token.get()).toBe('token-2');
    expect(calls).toHaveLength(2);
    expect(secrets).toEqual(['token-1', 'token-2']);
  });

  it('shares one fetch between concurrent callers', async () => {
    const clock = { now: 0 };
    const { calls, fetcher } = source(clock);
    const token = new GoogleAccessToken(fetcher, { add: () => undefined }, () => clock.now);
    expect(await Promise.all([token.get(), token.get(), token.get()])).toEqual(['token-1', 'token-1', 'token-1']);
    expect(calls).toHaveLength(1);
  });

  it('keeps a token of unknown expiry (the configured access_token)', async () => {
    const clock = { now: 0 };
    const { calls, fetcher } = source(clock, null);
    const token = new GoogleAccessToken(fetcher, { add: () => undefined }, () => clock.now);
    await token.get();
    clock.now += 30 * 24 * HOUR;
    expect(await token.get()).toBe('token-1');
    expect(calls).toHaveLength(1);
  });

  it('keeps a short-lived token for half its life instead of fetching on every call', async () => {
    const clock = { now: 0 };
    const { calls, fetcher } = source(clock, 60_000);
    const token = new GoogleAccessToken(fetcher, { add: () => undefined }, () => clock.now);
    await token.get();
    clock.now += 29_000;
    expect(await token.get()).toBe('token-1');
    clock.now += 2000;
    expect(await token.get()).toBe('token-2');
    expect(calls).toHaveLength(2);
  });

  it('does not cache a failed fetch', async () => {
    let attempt = 0;
    const token = new GoogleAccessToken(
      () => (++attempt === 1 ? Promise.reject(new Error('token endpoint down')) : Promise.resolve({ token: 'after-retry' })),
      { add: () => undefined },
    );
    await expect(token.get()).rejects.toThrow('token endpoint down');
    expect(await token.get()).toBe('after-retry');
  });
});
