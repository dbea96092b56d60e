import { describe, expect, it } from 'vitest';
import { checksumMismatch, checksumsOf, googHashHeader, parseGoogHash } from './objectChecksums.js';

describe('object checksums', () => {
  it('are CRC32C (Castagnoli, big-endian, base64) and MD5 (base64): the standard check values', () => {
    // CRC32C("123456789") = 0xE3069283 (RFC 3720 B.4); MD5("123456789") = 25f9e794323b453885f5181f1b624d0b.
    expect(checksumsOf(Buffer.from('123456789'))).toEqual({ crc32c: Buffer.from('e3069283', 'hex').toString('base64'), md5Hash: Buffer.from('25f9e794323b453885f5181f1b624d0b', 'hex').toString('base64') });
    expect(checksumsOf(Buffer.alloc(32)).crc32c).toBe(Buffer.from('8a9136aa', 'hex').toString('base64'));
    expect(checksumsOf(Buffer.alloc(0))).toEqual({ crc32c: 'AAAAAA==', md5Hash: '1B2M2Y8AsgTpgAmY7PhCfg==' });
  });

  it('read from and written to x-goog-hash', () => {
    const sums = checksumsOf(Buffer.from('hello'));
    expect(parseGoogHash(googHashHeader(sums))).toEqual(sums);
    expect(parseGoogHash(['crc32c=mnG7TA==', 'md5=XUFAKrxLKna5cZ2REBfFkg=='])).toEqual(sums);
    expect(parseGoogHash(undefined)).toEqual({});
  });

  it('say which announced checksum is wrong, in GCS words', () => {
    const sums = checksumsOf(Buffer.from('hello'));
    expect(checksumMismatch({}, sums)).toBeUndefined();
    expect(checksumMismatch({ md5Hash: sums.md5Hash }, sums)).toBeUndefined();
    expect(checksumMismatch({ crc32c: 'AAAAAA==' }, sums)).toBe('Provided CRC32C "AAAAAA==" doesn\'t match calculated CRC32C "mnG7TA==".');
    expect(checksumMismatch({ md5Hash: 'x' }, sums)).toMatch(/^Provided MD5 hash "x" doesn't match/);
  });
});
