import { GcsRefusal } from './GcsBuckets.js';
import { decodeSegment, type GcsExchange, type GcsOperation } from './GcsExchange.js';
import { deleteObject, getBucket, getObject, listBucket, sendMedia } from './jsonApi.js';
import { cancelResumable, mediaUpload, multipartUpload, openResumable, putResumable } from './uploadApi.js';

/** One route of the emulator: which requests, what operation they are, whether a bearer token is needed. */
export interface GcsRoute {
  method: string;
  /** Over the path as received (still percent-encoded): captures bucket, then object. */
  pattern: RegExp;
  operation: (query: URLSearchParams) => GcsOperation;
  /** JSON API requests need a bearer token; session URIs and the XML API authorise otherwise. */
  bearer: boolean;
  handle: (exchange: GcsExchange, bucket: string, object: string) => void | Promise<void>;
}

const UPLOADS: Record<string, { operation: GcsOperation; handle: GcsRoute['handle'] }> = {
  multipart: { operation: 'upload.multipart', handle: (e, bucket) => multipartUpload(e, bucket) },
  media: { operation: 'upload.media', handle: (e, bucket) => mediaUpload(e, bucket) },
  resumable: { operation: 'upload.resumable.create', handle: (e, bucket) => openResumable(e, bucket) },
};

function upload(exchange: GcsExchange, bucket: string): Promise<void> | void {
  const type = exchange.url.searchParams.get('uploadType') ?? '';
  const route = UPLOADS[type];
  if (!route) throw new GcsRefusal(400, `Invalid upload type: '${type}' (multipart, media or resumable)`, 'invalid');
  return route.handle(exchange, bucket, '');
}

/** The session of a session URI, which must be on the bucket of the path. */
function sessionId(exchange: GcsExchange, bucket: string): string {
  const id = exchange.url.searchParams.get('upload_id') ?? '';
  if (exchange.sessions.get(id).bucket !== bucket) throw new GcsRefusal(404, `No such upload session: ${id}`);
  return id;
}

const OBJECT = String.raw`^/storage/v1/b/([^/]+)/o/(.+)$`;
const UPLOAD = String.raw`^/upload/storage/v1/b/([^/]+)/o$`;

/** The JSON API's routes; anything else answers 404 (the XML API's object GET is routed by the emulator). */
export const JSON_API_ROUTES: readonly GcsRoute[] = [
  { method: 'GET', pattern: /^\/storage\/v1\/b\/([^/]+)$/, operation: () => 'buckets.get', bearer: true, handle: (e, b) => getBucket(e, b) },
  { method: 'GET', pattern: /^\/storage\/v1\/b\/([^/]+)\/o$/, operation: () => 'objects.list', bearer: true, handle: (e, b) => listBucket(e, b) },
  { method: 'GET', pattern: new RegExp(OBJECT), operation: (q) => (q.get('alt') === 'media' ? 'objects.media' : 'objects.get'), bearer: true, handle: (e, b, o) => getObject(e, b, o) },
  { method: 'DELETE', pattern: new RegExp(OBJECT), operation: () => 'objects.delete', bearer: true, handle: (e, b, o) => deleteObject(e, b, o) },
  {
    method: 'GET',
    pattern: /^\/download\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/,
    operation: () => 'objects.media',
    bearer: true,
    handle: (e, b, o) => sendMedia(e, e.buckets.get(b, o), 'json'),
  },
  { method: 'POST', pattern: new RegExp(UPLOAD), operation: (q) => UPLOADS[q.get('uploadType') ?? '']?.operation ?? 'unknown', bearer: true, handle: (e, b) => upload(e, b) },
  { method: 'PUT', pattern: new RegExp(UPLOAD), operation: () => 'upload.resumable.put', bearer: false, handle: (e, b) => putResumable(e, sessionId(e, b)) },
  { method: 'DELETE', pattern: new RegExp(UPLOAD), operation: () => 'upload.resumable.cancel', bearer: false, handle: (e, b) => cancelResumable(e, sessionId(e, b)) },
];

/** The route of a request, with its bucket and object name decoded. */
export function routeOf(method: string, rawPath: string): { route: GcsRoute; bucket: string; object: string } | undefined {
  for (const route of JSON_API_ROUTES) {
    const match = route.method === method ? route.pattern.exec(rawPath) : null;
    if (match) return { route, bucket: decodeSegment(match[1]!), object: match[2] ? decodeSegment(match[2]) : '' };
  }
  return undefined;
}
