import { isUtf8 } from 'node:buffer';
import { StowageError, type StowageErrorCode } from '@stowage/plugin-api';

const FATAL = new TextDecoder('utf-8', { fatal: true });

/** Where the first byte sequence that is not UTF-8 starts: 1-based line, and the text up to it. */
export interface Utf8Problem {
  line: number;
  /** The file decoded with replacement characters, and the offset (in it) of the first bad sequence. */
  lossy: string;
  offset: number;
}

/**
 * The text of a file that must be UTF-8 (a leading BOM is dropped), or where it is not: reading it
 * with replacement characters would put `�` into an image or a checksum without a word.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: Utf8Problem } {
  if (isUtf8(bytes)) return { text: FATAL.decode(bytes) };
  let start = 0;
  let line = 1;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) {
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, start));
      const lossyLine = new TextDecoder('utf-8').decode(bytes.subarray(start, stop));
      const lossy = new TextDecoder('utf-8').decode(bytes);
      return { problem: { line, lossy, offset: before.length + Math.max(0, lossyLine.indexOf('\uFFFD')) } };
    }
    if (end === -1) return { text: new TextDecoder('utf-8').decode(bytes) };
    start = end + 1;
    line++;
  }
}

/** The UTF-8 text of a file, or a StowageError naming the file and the line that is not UTF-8. */
export function utf8Text(bytes: Uint8Array, o: { what: string; display: string; code: StowageErrorCode }): string {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded.text;
  throw new StowageError(`${o.what} is not valid UTF-8`, {
    code: o.code,
    file: o.display,
    line: decoded.problem.line,
    hint: 'save the file as UTF-8',
  });
}
