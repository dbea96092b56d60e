import { posix } from 'node:path';
import { StowageError } from '@stowage/plugin-api';
import { isValidDockerignorePattern } from './isValidDockerignorePattern.js';

const BYTE_ORDER_MARK = '\uFEFF';

// Go's strings.TrimSpace trims unicode.IsSpace; JS `trim()` would also eat a BOM, which Go keeps.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const LEADING_SPACE = new RegExp(`^${GO_SPACE}+`);
const TRAILING_SPACE = new RegExp(`${GO_SPACE}+$`);

function trimSpace(text: string): string {
  return text.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** Go's filepath.Clean on Unix: like posix.normalize, minus the trailing slash it keeps. */
export function cleanPath(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * One line as the Docker CLI's ignorefile.ReadAll (moby/patternmatcher) keeps it, or null for a
 * comment or blank line. A comment is a `#` in column one only: ` #x` is the pattern `#x`.
 */
function normaliseLine(rawLine: string): string | null {
  // bufio.ScanLines drops one CR before the LF.
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (line.startsWith('#')) return null;
  let pattern = trimSpace(line);
  if (pattern === '') return null;
  const invert = pattern.startsWith('!');
  if (invert) pattern = trimSpace(pattern.slice(1));
  if (pattern.length > 0) {
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
  }
  return invert ? `!${pattern}` : pattern;
}

function invalidPattern(file: string, line: number, pattern: string, reason: string): StowageError {
  return new StowageError(`${file}:${line}: the .dockerignore pattern "${pattern}" ${reason}`, {
    code: 'CONTEXT_INVALID',
    file,
    line,
    hint: 'fix or remove that line; `docker build` rejects the same file',
  });
}

/**
 * The patterns of a `.dockerignore` text, normalised exactly as the Docker CLI reads them, in file
 * order. Rejects what Docker rejects (a lone `!`, a malformed `[...]` or a trailing `\`).
 */
export function parseDockerignore(text: string, file: string): string[] {
  const lines = (text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text).split('\n');
  const patterns: string[] = [];
  lines.forEach((rawLine, index) => {
    const pattern = normaliseLine(rawLine);
    if (pattern === null) return;
    // patternmatcher.New cleans again, with the `!`: so `!` and `!/` both end up a lone `!`.
    const body = cleanPath(pattern).replace(/^!/, '');
    if (body === '' && pattern.startsWith('!')) {
      throw invalidPattern(file, index + 1, pattern, 'excludes nothing (a lone "!" is illegal)');
    }
    if (!isValidDockerignorePattern(body)) {
      throw invalidPattern(file, index + 1, pattern, 'is malformed (unclosed "[", bad range, or trailing "\\")');
    }
    patterns.push(pattern);
  });
  return patterns;
}
