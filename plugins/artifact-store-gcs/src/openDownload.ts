import type { Readable } from 'node:stream';
import type { File } from '@google-cloud/storage';

/**
 * The object's bytes as a stream, once GCS has answered: a missing object or a refused request
 * rejects here instead of failing the stream later. The client checks the whole download against
 * the object's CRC32C and fails the stream on a mismatch.
 */
export function openDownload(file: File): Promise<Readable> {
  const stream = file.createReadStream();
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(error);
    stream.once('error', fail);
    stream.once('response', (response: { statusCode?: number }) => {
      // An error answer is followed by the 'error' event, whose message is Google's body.
      if ((response.statusCode ?? 500) >= 300) return;
      stream.off('error', fail);
      resolve(stream);
    });
    // The request starts when the stream is first read: ask for nothing yet, but start it.
    stream.read(0);
  });
}
