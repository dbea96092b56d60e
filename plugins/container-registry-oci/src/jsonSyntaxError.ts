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
  const containers: Array<'{' | '['> = [];
  type Expect = 'value' | 'value-or-]' | 'key' | 'key-or-}' | 'colon' | 'after';
  let expect: Expect = 'value';
  let i = 0;
  const fail = (at: number) => new Broken(Math.min(at, text.length));
  try {
    for (;;) {
      while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
      if (i >= text.length) return expect === 'after' && containers.length === 0 ? undefined : text.length;
      const c = text[i]!;
      switch (expect) {
        case 'key-or-}':
          if (c === '}') {
            containers.pop();
            i += 1;
            expect = 'after';
            break;
          }
        // falls through
        case 'key':
          if (c !== '"') throw fail(i);
          i = endOfString(text, i, fail);
          expect = 'colon';
          break;
        case 'colon':
          if (c !== ':') throw fail(i);
          i += 1;
          expect = 'value';
          break;
        case 'value-or-]':
          if (c === ']') {
            containers.pop();
            i += 1;
            expect = 'after';
            break;
          }
        // falls through
        case 'value':
          if (c === '{' || c === '[') {
            containers.push(c);
            i += 1;
            expect = c === '{' ? 'key-or-}' : 'value-or-]';
          } else {
            i = endOfScalar(text, i, fail);
            expect = 'after';
          }
          break;
        case 'after': {
          const open = containers.at(-1);
          if (c === ',' && open) {
            i += 1;
            expect = open === '{' ? 'key' : 'value';
          } else if ((c === '}' && open === '{') || (c === ']' && open === '[')) {
            containers.pop();
            i += 1;
          } else {
            throw fail(i);
          }
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof Broken) return error.offset;
    throw error;
  }
}

function endOfScalar(text: string, start: number, fail: (at: number) => Broken): number {
  const c = text[start]!;
  if (c === '"') return endOfString(text, start, fail);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER.lastIndex = start;
    if (!NUMBER.test(text)) throw fail(c === '-' ? start + 1 : start);
    return NUMBER.lastIndex;
  }
  for (const literal of ['true', 'false', 'null']) {
    if (literal[0] !== c) continue;
    for (let k = 1; k < literal.length; k += 1) {
      if (text[start + k] !== literal[k]) throw fail(start + k);
    }
    return start + literal.length;
  }
  throw fail(start);
}

/** `start` is the opening quote; returns the offset after the closing one. */
function endOfString(text: string, start: number, fail: (at: number) => Broken): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw fail(text.length);
    const c = text[i]!;
    if (c === '"') return i + 1;
    if (c < ' ') throw fail(i);
    if (c === '\\') {
      const escaped = text[i + 1];
      if (escaped === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) throw fail(i + 1);
        i += 6;
        continue;
      }
      if (escaped === undefined || !ESCAPES.has(escaped)) throw fail(i + 1);
      i += 2;
      continue;
    }
    i += 1;
  }
}
