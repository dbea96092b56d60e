/**
 * Where a JSON text breaks, without quoting it. `JSON.parse`'s own message embeds a slice of the
 * source (`Unexpected token 'h', "{"password": hunter2…" is not valid JSON`), which for a Docker
 * config file may be a credential, and it gives no position for most errors. This scanner
 * follows RFC 8259 and reports only a location.
 */
export interface JsonSyntaxLocation {
  /** 0-based offset (UTF-16 code units) of the first character that breaks the grammar. */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  /** The text ended while a value, string or container was still open. */
  endOfInput: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

class Broken {
  constructor(readonly offset: number) {}
}

type Expect = 'value' | 'value-or-]' | 'key' | 'key-or-}' | 'colon' | 'after';

/** Where the scanner is: the next offset, what the grammar allows there, the open containers. */
interface Scan {
  readonly text: string;
  i: number;
  expect: Expect;
  readonly containers: ('{' | '[')[];
}

const fail = (scan: Pick<Scan, 'text'>, at: number) => new Broken(Math.min(at, scan.text.length));

function closeContainer(scan: Scan): void {
  scan.containers.pop();
  scan.i += 1;
  scan.expect = 'after';
}

/** One grammar step per state: consumes the token at `scan.i` (never whitespace) or throws Broken. */
const STEPS: Record<Expect, (scan: Scan, c: string) => void> = {
  'key-or-}': (scan, c) => (c === '}' ? closeContainer(scan) : STEPS.key(scan, c)),
  key(scan, c) {
    if (c !== '"') throw fail(scan, scan.i);
    scan.i = endOfString(scan, scan.i);
    scan.expect = 'colon';
  },
  colon(scan, c) {
    if (c !== ':') throw fail(scan, scan.i);
    scan.i += 1;
    scan.expect = 'value';
  },
  'value-or-]': (scan, c) => (c === ']' ? closeContainer(scan) : STEPS.value(scan, c)),
  value(scan, c) {
    if (c === '{' || c === '[') {
      scan.containers.push(c);
      scan.i += 1;
      scan.expect = c === '{' ? 'key-or-}' : 'value-or-]';
    } else {
      scan.i = endOfScalar(scan, scan.i);
      scan.expect = 'after';
    }
  },
  after(scan, c) {
    const open = scan.containers.at(-1);
    if (c === ',' && open) {
      scan.i += 1;
      scan.expect = open === '{' ? 'key' : 'value';
    } else if ((c === '}' && open === '{') || (c === ']' && open === '[')) {
      closeContainer(scan);
    } else {
      throw fail(scan, scan.i);
    }
  },
};

/** The location of the first syntax error in `text`, or undefined when it is valid JSON. */
export function locateJsonSyntaxError(text: string): JsonSyntaxLocation | undefined {
  const offset = firstErrorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return {
    offset,
    line: before.split('\n').length,
    column: offset - lastNewline,
    endOfInput: offset >= text.length,
  };
}

/** Iterative (an explicit stack), so a deeply nested file cannot overflow the call stack. */
function firstErrorOffset(text: string): number | undefined {
  const scan: Scan = { text, i: 0, expect: 'value', containers: [] };
  try {
    for (;;) {
      while (scan.i < text.length && WHITESPACE.has(text[scan.i]!)) scan.i += 1;
      if (scan.i >= text.length) return scan.expect === 'after' && scan.containers.length === 0 ? undefined : text.length;
      STEPS[scan.expect](scan, text[scan.i]!);
    }
  } catch (error) {
    if (error instanceof Broken) return error.offset;
    throw error;
  }
}

function endOfScalar(scan: Scan, start: number): number {
  const { text } = scan;
  const c = text[start]!;
  if (c === '"') return endOfString(scan, start);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER.lastIndex = start;
    if (!NUMBER.test(text)) throw fail(scan, c === '-' ? start + 1 : start);
    return NUMBER.lastIndex;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (literal[0] !== c) continue;
    for (let k = 1; k < literal.length; k += 1) {
      if (text[start + k] !== literal[k]) throw fail(scan, start + k);
    }
    return start + literal.length;
  }
  throw fail(scan, start);
}

/** `start` is the opening quote; returns the offset after the closing one. */
function endOfString(scan: Scan, start: number): number {
  const { text } = scan;
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw fail(scan, text.length);
    const c = text[i]!;
    if (c === '"') return i + 1;
    if (c < ' ') throw fail(scan, i);
    if (c === '\\') {
      const escaped = text[i + 1];
      if (escaped === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) throw fail(scan, i + 1);
        i += 6;
        continue;
      }
      if (escaped === undefined || !ESCAPES.has(escaped)) throw fail(scan, i + 1);
      i += 2;
      continue;
    }
    i += 1;
  }
}
