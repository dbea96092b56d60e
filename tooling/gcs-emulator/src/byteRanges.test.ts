import { describe, expect, it } from 'vitest';
import { parseContentRange, parseRange } from './byteRanges.js';

describe('parseContentRange (resumable PUTs)', () => {
  it.each([
    ['bytes */*', { kind: 'query', total: undefined }],
    ['bytes */1000', { kind: 'query', total: 1000 }],
    ['bytes 0-*/*', { kind: 'rest', first: 0, total: undefined }],
    ['bytes 262144-*/600000', { kind: 'rest', first: 262144, total: 600000 }],
    ['bytes 0-262143/*', { kind: 'chunk', first: 0, last: 262143, total: undefined }],
    ['bytes 524288-614399/614400', { kind: 'chunk', first: 524288, last: 614399, total: 614400 }],
  ])('%s', (header, range) => {
    expect(parseContentRange(header)).toEqual(range);
  });

  it.each([undefined, '', 'bytes 5-4/*', 'bytes 0-10/10', 'items 0-1/2', 'bytes=0-1/2', 'bytes -1-2/*'])('refuses %j', (header) => {
    expect(parseContentRange(header)).toHaveProperty('problem');
  });
});

describe('parseRange (media downloads of a 10-byte object)', () => {
  it.each([
    [undefined, { kind: 'whole' }],
    ['bytes=2-4', { kind: 'part', start: 2, end: 4 }],
    ['bytes=2-', { kind: 'part', start: 2, end: 9 }],
    ['bytes=5-100', { kind: 'part', start: 5, end: 9 }],
    ['bytes=-3', { kind: 'part', start: 7, end: 9 }],
    ['bytes=-30', { kind: 'part', start: 0, end: 9 }],
    ['bytes=10-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,3-4', { kind: 'whole' }],
    ['lines=1-2', { kind: 'whole' }],
  ])('%s', (header, range) => {
    expect(parseRange(header, 10)).toEqual(range);
  });
});
