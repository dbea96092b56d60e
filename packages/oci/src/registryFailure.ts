import { StowageError } from '@stowage/plugin-api';

/** A registry call that failed: REGISTRY_FAILED, with a message that never holds a credential. */
export function registryFailure(message: string, options: { cause?: unknown; hint?: string } = {}): StowageError {
  return new StowageError(message, { code: 'REGISTRY_FAILED', ...options });
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : error.message;
}

/**
 * `HTTP 400 (DIGEST_INVALID: provided digest did not match uploaded content)`: the status and the
 * distribution spec's error codes and messages from the body, which name no credential.
 */
export async function describeErrorResponse(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let errors: { code?: unknown; message?: unknown }[] = [];
  try {
    const body = JSON.parse(text) as { errors?: unknown } | null;
    if (Array.isArray(body?.errors)) errors = body.errors as typeof errors;
  } catch {
    // Not the spec's JSON (a proxy's HTML page, an empty body): the status says enough.
  }
  const codes = errors
    .filter((e) => typeof e?.code === 'string')
    .map((e) => (typeof e.message === 'string' && e.message ? `${String(e.code)}: ${e.message}` : String(e.code)));
  const why = response.status === 403 ? ' (access denied)' : response.status === 401 ? ' (login required)' : '';
  return `HTTP ${response.status}${why}${codes.length ? ` (${codes.join('; ')})` : ''}`;
}
