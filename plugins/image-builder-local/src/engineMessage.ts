// docker-modem's wording for an HTTP error: `(HTTP code 400) unexpected - <engine text> `.
const MODEM_PREFIX = /^\(HTTP code \d+\) [^-]*- ([\s\S]*)$/;

/**
 * The engine's own text from a dockerode error. For streaming calls (build, push) docker-modem
 * leaves `json` null and only embeds the body in its message, so the prefix is stripped there.
 */
export function engineMessage(error: unknown): string {
  const message = (error as { json?: { message?: unknown } | null } | null)?.json?.message;
  if (typeof message === 'string' && message.trim()) return message.trim();
  const text = error instanceof Error ? error.message : String(error);
  return (MODEM_PREFIX.exec(text)?.[1] ?? text).trim();
}
