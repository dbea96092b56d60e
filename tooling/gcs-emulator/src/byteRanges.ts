/**
 * The two byte-range headers of the JSON API: `Content-Range` on a resumable session's PUT (what
 * part of the object this request carries, and the total size once known) and `Range` on a media
 * download. Pure parsing; the session and the download decide what to do with them.
 */

/** A resumable PUT's `Content-Range`. */
// (Line comments: the header values hold `*/`.)
export type UploadRange =
  // `bytes */*` or `bytes */<total>`: no data, a status query (or, with a total, the final empty request).
  | { kind: 'query'; total?: number }
  // `bytes <first>-<last>/<total|*>`: exactly these bytes.
  | { kind: 'chunk'; first: number; last: number; total?: number }
  // `bytes <first>-*/<total|*>`: the rest of the object; the end of the body finalises it.
  | { kind: 'rest'; first: number; total?: number };

const NUMBER = String.raw`(\d{1,15})`;

export function parseContentRange(header: string | undefined): UploadRange | { problem: string } {
  const value = (header ?? '').trim();
  const total = (text: string): number | undefined => (text === '*' ? undefined : Number(text));
  let match = new RegExp(String.raw`^bytes \*/(\*|${NUMBER})$`).exec(value);
  if (match) return { kind: 'query', total: total(match[1]!) };
  match = new RegExp(String.raw`^bytes ${NUMBER}-\*/(\*|${NUMBER})$`).exec(value);
  if (match) return { kind: 'rest', first: Number(match[1]), total: total(match[2]!) };
  match = new RegExp(String.raw`^bytes ${NUMBER}-${NUMBER}/(\*|${NUMBER})$`).exec(value);
  if (match) {
    const [first, last, size] = [Number(match[1]), Number(match[2]), total(match[3]!)];
    if (last < first || (size !== undefined && last >= size)) return { problem: `Failed to parse Content-Range header: ${value}` };
    return { kind: 'chunk', first, last, total: size };
  }
  return { problem: value ? `Failed to parse Content-Range header: ${value}` : 'a resumable upload request needs a Content-Range header' };
}

/** The bytes `[start, end]` (inclusive) a `Range: bytes=…` header asks of an object of `size` bytes. */
export type DownloadRange = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/** One range only, as GCS serves: `bytes=a-b`, `bytes=a-`, `bytes=-n`. Anything else is ignored (the whole object). */
export function parseRange(header: string | undefined, size: number): DownloadRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}
