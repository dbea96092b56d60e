import { describe, expect, it } from 'vitest';
import { parseCgiHeaders } from './gitHttpBackend.js';

describe('parseCgiHeaders', () => {
  it('takes the status from `Status:` and keeps the other headers', () => {
    expect(parseCgiHeaders('Status: 403 Forbidden\r\nContent-Type: text/plain\r\nExpires: Fri, 01 Jan 1980 00:00:00 GMT')).toEqual({
      status: 403,
      headers: [
        ['Content-Type', 'text/plain'],
        ['Expires', 'Fri, 01 Jan 1980 00:00:00 GMT'],
      ],
    });
  });

  it('defaults to 200 and accepts bare LF line ends', () => {
    expect(parseCgiHeaders('Content-Type: application/x-git-upload-pack-result\nCache-Control: no-cache')).toEqual({
      status: 200,
      headers: [
        ['Content-Type', 'application/x-git-upload-pack-result'],
        ['Cache-Control', 'no-cache'],
      ],
    });
  });
});
