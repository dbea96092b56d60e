import { randomBytes } from 'node:crypto';
import type { UploadRange } from './byteRanges.js';
import { GcsRefusal, NO_SUCH_BUCKET, type GcsBuckets, type ObjectFields, type StoredObject } from './GcsBuckets.js';
import { checksumMismatch, checksumsOf, type ObjectChecksums } from './objectChecksums.js';

/** A resumable upload begun and not cancelled: the session URI's `upload_id` names it. */
export interface UploadSession {
  id: string;
  bucket: string;
  name: string;
  fields: ObjectFields;
  /** Who opened it (the session URI itself is the capability afterwards, as in GCS). */
  principal: string;
  /** `X-Upload-Content-Length` of the opening request, if it gave one. */
  declaredSize?: number;
  chunks: Buffer[];
  received: number;
  /** The object, once the last byte arrived. */
  result?: StoredObject;
}

/** What a session PUT leads to: the object (HTTP 200), or how many bytes are persisted so far (HTTP 308). */
export type SessionState = { done: StoredObject } | { received: number };

const MAX_SESSIONS = 1000;

/** Resumable upload sessions (JSON API `uploadType=resumable`), holding their bytes until the last one. */
export class ResumableSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly buckets: GcsBuckets) {}

  open(bucket: string, name: string, fields: ObjectFields, principal: string, declaredSize?: number): UploadSession {
    if (!this.buckets.hasBucket(bucket)) throw new GcsRefusal(404, NO_SUCH_BUCKET);
    if (declaredSize !== undefined && declaredSize > this.buckets.maxBytes) {
      throw new GcsRefusal(503, `the GCS emulator holds at most ${this.buckets.maxBytes} bytes (option maxBytes)`, 'backendError');
    }
    this.prune();
    const session: UploadSession = { id: randomBytes(16).toString('hex'), bucket, name, fields, principal, declaredSize, chunks: [], received: 0 };
    if (declaredSize === undefined) delete session.declaredSize;
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): UploadSession {
    const session = this.sessions.get(id);
    if (!session) throw new GcsRefusal(404, `No such upload session: ${id}`);
    return session;
  }

  /** Sessions neither finished nor cancelled (what an interrupted upload leaves behind). */
  unfinished(): UploadSession[] {
    return [...this.sessions.values()].filter((s) => !s.result);
  }

  /**
   * Applies one PUT. `body` holds the bytes the `range` announced, already counted as pending: the
   * session keeps that count while it holds them, and releases it when it refuses them.
   */
  write(session: UploadSession, range: UploadRange, body: Buffer, announced: Partial<ObjectChecksums>): SessionState {
    const refuse = (message: string) => {
      this.buckets.releasePending(body.length);
      return new GcsRefusal(400, `Invalid request. ${message}`, 'invalid');
    };
    if (this.sessions.get(session.id) !== session) {
      // Cancelled while this request's body was arriving.
      this.buckets.releasePending(body.length);
      throw new GcsRefusal(404, `No such upload session: ${session.id}`);
    }
    if (session.result) {
      this.buckets.releasePending(body.length);
      return { done: session.result };
    }
    if (range.kind === 'query') {
      if (body.length > 0) throw refuse(`A request with Content-Range bytes */… carries no data, not ${body.length} bytes.`);
      if (range.total !== undefined && range.total === session.received) return this.finish(session, announced);
      return { received: session.received };
    }
    if (range.first !== session.received) throw refuse(`The upload offset ${range.first} is not the ${session.received} bytes persisted so far.`);
    if (range.kind === 'chunk' && body.length !== range.last - range.first + 1) {
      throw refuse(`The request carries ${body.length} bytes but its Content-Range announces ${range.last - range.first + 1}.`);
    }
    session.chunks.push(body);
    session.received += body.length;
    const total = range.total ?? (range.kind === 'rest' ? session.received : undefined);
    if (total === undefined || session.received < total) return { received: session.received };
    if (session.received > total) throw this.abandon(session, new GcsRefusal(400, `Invalid request. ${session.received} bytes were sent for an object of ${total}.`, 'invalid'));
    return this.finish(session, announced);
  }

  /** Cancels a session (DELETE on its URI): its bytes are dropped, no object is written. */
  cancel(id: string): void {
    const session = this.get(id);
    this.buckets.releasePending(session.received);
    this.sessions.delete(id);
  }

  private finish(session: UploadSession, announced: Partial<ObjectChecksums>): SessionState {
    const data = Buffer.concat(session.chunks, session.received);
    if (session.declaredSize !== undefined && session.declaredSize !== data.length) {
      throw this.abandon(session, new GcsRefusal(400, `Invalid request. The upload was ${data.length} bytes, not the ${session.declaredSize} X-Upload-Content-Length announced.`, 'invalid'));
    }
    const mismatch = checksumMismatch(announced, checksumsOf(data));
    if (mismatch) throw this.abandon(session, new GcsRefusal(400, mismatch, 'invalid'));
    this.buckets.releasePending(session.received);
    session.chunks = [];
    session.result = this.buckets.put(session.bucket, session.name, data, session.fields);
    return { done: session.result };
  }

  /** A session that cannot finish is dropped with its bytes, so nothing it held becomes an object. */
  private abandon(session: UploadSession, refusal: GcsRefusal): GcsRefusal {
    this.cancel(session.id);
    return refusal;
  }

  /** Finished sessions are kept (a repeated final PUT answers the object again) up to a bound. */
  private prune(): void {
    for (const [id, session] of this.sessions) {
      if (this.sessions.size < MAX_SESSIONS) return;
      if (session.result) this.sessions.delete(id);
    }
    if (this.sessions.size >= MAX_SESSIONS) throw new GcsRefusal(503, `the GCS emulator keeps at most ${MAX_SESSIONS} upload sessions`, 'backendError');
  }
}
