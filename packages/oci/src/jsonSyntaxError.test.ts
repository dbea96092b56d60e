import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from './jsonSyntaxError.js';

describe('locateJsonSyntaxError', () => {
  it.each([
    '{}',
    '[]',
    ' {"a": [1, -2.5e+3, 0, true, false, null, "x\\"\\u00e9\\n"], "b": {}} \n',
    '"just a string"',
    '0',
  ])('finds nothing wrong in valid JSON %j', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(locateJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{"a": hunter2}', 6, false],
    ['{"a": 1,}', 8, false],
    ['{"a" 1}', 5, false],
    ['{a: 1}', 1, false],
    ['[1, 2', 5, true],
    ['{"a": "open', 11, true],
    ['{"a": tru}', 9, false],
    ['{"a": 01}', 7, false],
    ['{"a": -x}', 7, false],
    ['{"a": "\\x"}', 8, false],
    ['{"a": "tab\there"}', 10, false],
    ['{} {}', 3, false],
    ['{"a": 1]', 7, false],
    ['', 0, true],
    ['   ', 3, true],
    ['\uFEFF{}', 0, false],
  ])('locates the error in %j at offset %i', (text, offset, endOfInput) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(locateJsonSyntaxError(text)).toMatchObject({ offset, endOfInput });
  });

  it('counts lines and columns from 1', () => {
    expect(locateJsonSyntaxError('{\n  "a": 1,\n  oops\n}')).toEqual({ offset: 14, line: 3, column: 3, endOfInput: false });
  });

  it('survives nesting deeper than the call stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(199_999);
    expect(locateJsonSyntaxError(deep)).toMatchObject({ endOfInput: true });
  });
});
