import { pipeline, Readable, Transform } from 'node:stream';

/** The data was not the size the caller announced: a truncated or overlong stream. */
function sizeMismatch(bytes: number, size: number, atLeast = false): Error {
  return new Error(`the data was ${atLeast ? 'more than ' : ''}${bytes} bytes, not the ${size} that \`size\` announced`);
}

/**
 * The upload body, held to `size` when it is known: bytes are checked at once, a stream through a
 * byte count that fails the stream (and so the upload, before it completes) on a mismatch. A
 * truncated stream therefore never becomes an object.
 */
/** For artifact stores: a `put` body checked against `PutOptions.size`. */
export function expectSize(data: Readable | Uint8Array | string, size: number | undefined): Readable | Uint8Array {
  if (!(data instanceof Readable)) {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (size !== undefined && bytes.byteLength !== size) throw sizeMismatch(bytes.byteLength, size);
    return bytes;
  }
  if (size === undefined) return data;
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > size ? sizeMismatch(seen - chunk.length, size, true) : null, chunk);
    },
    flush(done) {
      done(seen === size ? null : sizeMismatch(seen, size));
    },
  });
  // Errors reach the upload through `counted`; the source is destroyed with it.
  return pipeline(data, counted, () => undefined);
}
