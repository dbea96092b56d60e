import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { expectSize } from './index.js';

describe('expectSize', () => {
  it('passes bytes of the announced size, and any size when none is announced', async () => {
    expect(expectSize('abc', 3)).toEqual(Buffer.from('abc'));
    expect(expectSize(new Uint8Array([1, 2]), undefined)).toEqual(new Uint8Array([1, 2]));
    expect(await buffer(expectSize(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3) as Readable)).toEqual(Buffer.from('abc'));
  });

  it('refuses bytes of another size at once', () => {
    expect(() => expectSize('abcd', 3)).toThrow('the data was 4 bytes, not the 3 that `size` announced');
  });

  it('fails a truncated or overlong stream before it ends, so an upload reading it never completes', async () => {
    await expect(buffer(expectSize(Readable.from([Buffer.from('ab')]), 3) as Readable)).rejects.toThrow('the data was 2 bytes, not the 3');
    await expect(buffer(expectSize(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 3) as Readable)).rejects.toThrow('the data was more than 2 bytes');
  });
});
