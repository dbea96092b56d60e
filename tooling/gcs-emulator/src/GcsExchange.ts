import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GcsBuckets } from './GcsBuckets.js';
import type { ResumableSessions } from './ResumableSessions.js';

/** What the emulator does with a request, named after the JSON API method (or the route's purpose). */
export type GcsOperation =
  | 'buckets.get'
  | 'objects.list'
  | 'objects.get'
  | 'objects.media'
  | 'objects.delete'
  | 'upload.multipart'
  | 'upload.media'
  | 'upload.resumable.create'
  | 'upload.resumable.put'
  | 'upload.resumable.cancel'
  | 'xml.get'
  | 'unknown';

/** One request the emulator answered, for tests to assert on. */
export interface GcsCall {
  operation: GcsOperation;
  method: string;
  /** Path and query as received. */
  url: string;
  /** The HTTP status answered (set when the answer has gone out). */
  status?: number;
  /** Who the request was authorised as: an access token, a service account, or a signed URL's signer. */
  principal?: string;
  /** A resumable PUT's `Content-Range`. */
  contentRange?: string;
}

/** One request being answered: the parsed URL (path still percent-encoded), the stores, the call record. */
export interface GcsExchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  buckets: GcsBuckets;
  sessions: ResumableSessions;
  /** The emulator's base URL, for links and session URIs. */
  endpoint: string;
  now: () => Date;
  call: GcsCall;
}

/** A path segment as the client percent-encoded it, decoded (an object name may hold `/` encoded as %2F, or literally). */
export function decodeSegment(raw: string): string {
  return decodeURIComponent(raw);
}
