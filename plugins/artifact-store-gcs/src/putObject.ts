import { addAbortSignal, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { File } from '@google-cloud/storage';
import { expectSize, type PutOptions } from '@stowage/plugin-api';
import type { GcsClient } from './createGcsClient.js';
import { cancelUploadSession, openUploadSession } from './uploadSession.js';

/** How a put goes: one request up to `singleRequestLimit` bytes of known size, else a chunked resumable upload. */
export interface PutPlan {
  singleRequestLimit: number;
  /** Bytes per resumable request (a multiple of 256 KiB, as GCS asks). */
  chunkSize: number;
}

/** Google's advice: single-request uploads for small objects, resumable ones in chunks of at least 8 MiB. */
export const DEFAULT_PUT_PLAN: PutPlan = { singleRequestLimit: 8 * 1024 * 1024, chunkSize: 8 * 1024 * 1024 };

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Writes an object all or nothing. Small data of known size goes up as one multipart request;
 * anything larger or of unknown size as a resumable session in chunks. The object appears only
 * when its last byte has arrived (and the client has checked GCS's CRC32C of it), so a failed or
 * cancelled put leaves no object: its session is cancelled, and an object that was written
 * anyway (a cancel that came as the last request finished) is removed again.
 */
export async function putObject(client: GcsClient, file: File, data: Readable | Uint8Array | string, options: PutOptions, plan: PutPlan): Promise<void> {
  const body = expectSize(data, options.size);
  if (body instanceof Readable && options.signal) addAbortSignal(options.signal, body);
  options.signal?.throwIfAborted();
  const contentType = options.contentType ?? 'application/octet-stream';
  const small = body instanceof Uint8Array ? body.byteLength <= plan.singleRequestLimit : options.size !== undefined && options.size <= plan.singleRequestLimit;
  let session: string | undefined;
  try {
    if (small) {
      const bytes = body instanceof Uint8Array ? body : await buffer(body);
      options.signal?.throwIfAborted();
      await file.save(asBuffer(bytes), { resumable: false, contentType, validation: 'crc32c' });
    } else {
      session = await openUploadSession(client, file.bucket.name, file.name, { contentType, ...(options.size !== undefined ? { size: options.size } : {}) });
      const source = body instanceof Uint8Array ? Readable.from([asBuffer(body)]) : body;
      await pipeline(source, file.createWriteStream({ uri: session, chunkSize: plan.chunkSize, contentType, validation: 'crc32c' }), options.signal ? { signal: options.signal } : {});
    }
    // One request cannot be stopped halfway: a put cancelled while it ran takes back what it wrote.
    options.signal?.throwIfAborted();
  } catch (error) {
    if (session) await cancelUploadSession(client, session);
    await removeIfWritten(file);
    throw error;
  }
}

/** Deletes the generation this put wrote, if it wrote one, and only that generation. */
async function removeIfWritten(file: File): Promise<void> {
  const generation = file.metadata?.generation;
  if (generation === undefined) return;
  await file.delete({ ifGenerationMatch: generation }).catch(() => undefined);
}
