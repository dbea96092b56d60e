/** One part of a `multipart/related` body: its headers (lower-case names) and bytes. */
export interface RelatedPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** The boundary of a `multipart/related; boundary=…` content type, or undefined for any other type. */
export function relatedBoundary(contentType: string | undefined): string | undefined {
  const match = /^multipart\/related\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

function partHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

/**
 * The parts of a multipart/related body (RFC 2387, the JSON API's `uploadType=multipart`: a JSON
 * metadata part, then the media). The delimiter is `--boundary` at the start of the body or after
 * CRLF; the CRLF before a delimiter belongs to the delimiter, never to the part.
 */
export function parseMultipartRelated(body: Buffer, boundary: string): RelatedPart[] | { problem: string } {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: RelatedPart[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0 && (at < 2 || body.toString('latin1', at - 2, at) !== '\r\n')) return { problem: 'the multipart body does not start with its boundary' };
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.toString('latin1', afterDelimiter, afterDelimiter + 2) === '--') return parts;
    // The CRLF that ends the delimiter line may also start the blank line of a part without headers.
    const headersEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headersEnd < 0) return { problem: 'a part of the multipart body has no end of headers' };
    const headersStart = Math.min(afterDelimiter + 2, headersEnd);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) return { problem: 'the multipart body has no closing boundary' };
    parts.push({ headers: partHeaders(body.toString('utf8', headersStart, headersEnd)), body: body.subarray(headersEnd + 4, next) });
    at = next + 2;
  }
}
