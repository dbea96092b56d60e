/** One challenge of a `WWW-Authenticate` header (RFC 7235), e.g. `Bearer realm="…",service="…"`. */
export interface AuthChallenge {
  /** Lower-case: `basic`, `bearer`, … */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SPACE_OR_COMMA = /[\s,]*/y;
const SPACE = /\s*/y;

/**
 * Parses every challenge of a `WWW-Authenticate` value. fetch joins repeated headers with ", ",
 * so a value may hold several challenges; a token not followed by `=` starts a new one.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let pos = 0;
  const skip = (re: RegExp) => {
    re.lastIndex = pos;
    re.exec(header);
    pos = re.lastIndex;
  };
  while (pos < header.length) {
    skip(SPACE_OR_COMMA);
    TOKEN.lastIndex = pos;
    const token = TOKEN.exec(header)?.[0];
    if (!token) break;
    pos = TOKEN.lastIndex;
    skip(SPACE);
    if (header[pos] !== '=') {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
      continue;
    }
    pos += 1;
    skip(SPACE);
    const value = readParamValue(header, pos);
    pos = value.end;
    const current = challenges.at(-1);
    // Parameters before any scheme (a malformed header) have no challenge to belong to.
    if (current) current.params[token.toLowerCase()] = value.text;
  }
  return challenges;
}

function readParamValue(header: string, start: number): { text: string; end: number } {
  if (header[start] !== '"') {
    const match = /[^,\s]*/y;
    match.lastIndex = start;
    const text = match.exec(header)?.[0] ?? '';
    return { text, end: start + text.length };
  }
  let text = '';
  let pos = start + 1;
  while (pos < header.length && header[pos] !== '"') {
    // quoted-pair: a backslash escapes the next character.
    if (header[pos] === '\\' && pos + 1 < header.length) pos += 1;
    text += header[pos];
    pos += 1;
  }
  return { text, end: pos + 1 };
}

/** The challenge to answer: Bearer (token auth) when offered, else Basic; others are not supported. */
export function pickChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
