import { StowageError } from '@stowage/plugin-api';

// How a dropped engine connection shows in Node: the socket reset or closed mid-response, a write
// to a closed socket, or a reconnect that nothing answers any more (the engine is gone).
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const LOST_MESSAGES = /^(aborted|socket hang up|premature close)$/i;

/** The first error in the cause chain that says the connection dropped, if any. */
function lostConnectionCause(error: unknown): { code?: string; message: string } | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && LOST_CODES.has(code)) return { code, message: String(message ?? '') };
    if (typeof message === 'string' && LOST_MESSAGES.test(message)) return { message };
  }
  return undefined;
}

/**
 * A builder call that failed because the engine went away mid-way (killed, restarted, out of
 * memory) becomes "the engine connection was lost" with what to do, instead of a Dockerfile step
 * to fix. Anything else — and anything after a cancel — is returned as it is.
 */
export function engineConnectionLost(error: unknown, doing: string, signal: AbortSignal): unknown {
  if (signal.aborted) return error;
  const lost = lostConnectionCause(error);
  const unavailable = StowageError.isInstance(error) && error.code === 'ENGINE_UNAVAILABLE';
  if (!lost && !unavailable) return error;
  const why = lost ? [lost.code, lost.message].filter(Boolean).join(': ') : (error as StowageError).message;
  // The host's tags (which plugin, component and method failed) stay on the error.
  const tags = StowageError.isInstance(error) ? { plugin: error.plugin, component: error.component, method: error.method } : {};
  return new StowageError(`the engine connection was lost while ${doing} (${why})`, {
    code: 'ENGINE_UNAVAILABLE',
    cause: error,
    ...tags,
    details: StowageError.isInstance(error) ? error.details : [],
    hint: 'the engine stopped answering (restarted, crashed, or killed for lack of memory): check that it runs (for Docker: `docker info` and the daemon log), then build again; nothing was recorded, and the Dockerfile is not at fault',
  });
}
