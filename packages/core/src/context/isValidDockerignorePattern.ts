import { compileRule } from './DockerignoreMatcher.js';

/**
 * Docker refuses a `.dockerignore` whose patterns fail Go's `filepath.Match` syntax check
 * ("syntax error in pattern") or do not compile to a regexp (`[z-a]`). This repeats the glob check
 * (Unix rules, Go 1.16+ which scans the whole pattern) and compiles the pattern once, so Stowage
 * refuses the same files; matching itself is left to @balena/dockerignore.
 */
export function isValidDockerignorePattern(pattern: string): boolean {
  return isWellFormedGlob(pattern) && compiles(pattern);
}

function compiles(pattern: string): boolean {
  try {
    // balena compiles a rule lazily, on its first match.
    compileRule(pattern).ignores('a/b');
    return true;
  } catch {
    return false;
  }
}

function isWellFormedGlob(pattern: string): boolean {
  const chars = [...pattern];
  let i = 0;
  while (i < chars.length) {
    const char = chars[i];
    if (char === '\\') {
      if (i + 1 >= chars.length) return false;
      i += 2;
    } else if (char === '[') {
      const end = endOfClass(chars, i + 1);
      if (end < 0) return false;
      i = end;
    } else {
      i += 1;
    }
  }
  return true;
}

/** Index just past the `]` closing a class that opens before `start`, or -1 when malformed. */
function endOfClass(chars: readonly string[], start: number): number {
  let i = chars[start] === '^' ? start + 1 : start;
  let ranges = 0;
  for (;;) {
    if (chars[i] === ']' && ranges > 0) return i + 1;
    i = afterClassChar(chars, i);
    if (i < 0) return -1;
    if (chars[i] === '-') {
      i = afterClassChar(chars, i + 1);
      if (i < 0) return -1;
    }
    ranges += 1;
  }
}

/** Go's getEsc: one (possibly escaped) character of a class; `-` and `]` may not start a range. */
function afterClassChar(chars: readonly string[], i: number): number {
  const char = chars[i];
  if (char === undefined || char === '-' || char === ']') return -1;
  if (char !== '\\') return i + 1;
  return chars[i + 1] === undefined ? -1 : i + 2;
}
