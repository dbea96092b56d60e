/**
 * @balena/dockerignore is a port of moby 19.03's matcher, which the Docker 20.10 CLI still used.
 * Current Docker (moby/patternmatcher, CLI 23+) differs on a few points, confirmed against the
 * 20.10 and 28.2 CLIs on this machine. This rewrites one pattern body (no `!`) so that balena's
 * regexp for it matches what current Docker matches:
 * - `+ ( ) | { }` are literal (20.10 passed them on as regexp syntax, so `a+b.txt` matched `aab.txt`);
 * - a pattern without `* ? [ ] \` (beyond a leading or trailing `**`) is compared as a plain
 *   string, so a `^` in it is literal too;
 * - `**foo` (a leading `**` not followed by `/`, nothing else special) matches any path ending in
 *   `foo`, such as `barfoo` (20.10: only `foo` and `x/foo`);
 * - `?` matches one character, astral ones included (balena's regexp lacks the `u` flag);
 * - a leading `#` is escaped: Docker removed comments when reading the file, balena would again.
 */
export function toBalenaPattern(body: string): string {
  const chars = [...body];
  const literal = isPlainStringPattern(chars);
  let out = '';
  let inClass = false;
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] ?? '';
    if (char === '\\') {
      out += char + (chars[i + 1] ?? '');
      i += 1;
    } else if (char === '[' && !inClass) {
      inClass = true;
      out += char;
    } else if (char === ']' && inClass) {
      inClass = false;
      out += char;
    } else if (char === '?' && !inClass) {
      out += ONE_CHARACTER;
    } else if (ALWAYS_LITERAL.has(char) || (char === '^' && literal) || (char === '#' && i === 0)) {
      out += `\\${char}`;
    } else {
      out += char;
    }
  }
  return isLooseSuffixPattern(chars, literal) ? `**/*${out.slice(2)}` : out;
}

// patternmatcher's shouldEscape set, minus `.` and `$` which balena already escapes.
const ALWAYS_LITERAL = new Set(['+', '(', ')', '|', '{', '}']);

// One code point that is not `/`: a BMP unit or a surrogate pair. Raw regexp: balena copies
// `( | ) [ ] ^` through, and turns `\uD800` into the regexp escape `\uD800`.
const ONE_CHARACTER = '([^/]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])';

/**
 * patternmatcher compares these as strings instead of compiling a regexp: no `?`, `[`, `]` or
 * `\`, and `*` only as one leading `**` (suffix match) or one trailing `**` (prefix match).
 */
function isPlainStringPattern(chars: readonly string[]): boolean {
  if (chars.some((c) => c === '?' || c === '[' || c === ']' || c === '\\')) return false;
  const text = chars.join('');
  if (text.startsWith('**')) return !text.slice(2).includes('*');
  if (text.endsWith('**')) return !text.slice(0, -2).includes('*');
  return !text.includes('*');
}

/** `**foo`: patternmatcher's suffix match is a plain `endsWith("foo")`, even across `/`. */
function isLooseSuffixPattern(chars: readonly string[], literal: boolean): boolean {
  return literal && chars[0] === '*' && chars[1] === '*' && chars[2] !== undefined && chars[2] !== '/';
}
