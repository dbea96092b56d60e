import { describe, expect, it } from 'vitest';
import { parseMultipartRelated, relatedBoundary } from './multipartRelated.js';

const body = (boundary: string, parts: string[]) => Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--`, 'latin1');

describe('multipart/related (uploadType=multipart)', () => {
  it('reads the boundary, quoted or not, and no other content type', () => {
    expect(relatedBoundary('multipart/related; boundary=abc-123')).toBe('abc-123');
    expect(relatedBoundary('multipart/related; type="application/json"; boundary="a b"')).toBe('a b');
    expect(relatedBoundary('multipart/form-data; boundary=abc')).toBeUndefined();
    expect(relatedBoundary(undefined)).toBeUndefined();
  });

  it('splits the metadata and the media parts, keeping binary bytes and CRLFs inside a part', () => {
    const media = '\r\nline\r\n--not-the-boundary\u00ff';
    const parts = parseMultipartRelated(body('b1', ['Content-Type: application/json\r\n\r\n{"name":"a"}', `Content-Type: text/plain\r\n\r\n${media}`]), 'b1');
    expect(parts).toEqual([
      { headers: { 'content-type': 'application/json' }, body: Buffer.from('{"name":"a"}') },
      { headers: { 'content-type': 'text/plain' }, body: Buffer.from(media, 'latin1') },
    ]);
  });

  it('takes an empty part and a part without headers', () => {
    expect(parseMultipartRelated(body('b', ['Content-Type: x\r\n\r\n', '\r\nno headers']), 'b')).toEqual([
      { headers: { 'content-type': 'x' }, body: Buffer.alloc(0) },
      { headers: {}, body: Buffer.from('no headers') },
    ]);
  });

  it.each([
    ['no closing boundary', Buffer.from('--b\r\nContent-Type: x\r\n\r\ndata')],
    ['a body not starting with the boundary', Buffer.from('garbage--b\r\n\r\nx\r\n--b--')],
    ['a part without an end of headers', Buffer.from('--b\r\nContent-Type: x')],
  ])('refuses %s', (_what, bytes) => {
    expect(parseMultipartRelated(bytes, 'b')).toHaveProperty('problem');
  });
});
