import { parseContentRange } from './byteRanges.js';
import { GcsRefusal, type ObjectFields } from './GcsBuckets.js';
import type { GcsExchange } from './GcsExchange.js';
import { objectResource } from './gcsResources.js';
import { readBody, sendJson } from './gcsResponses.js';
import { parseMultipartRelated, relatedBoundary } from './multipartRelated.js';
import { checksumMismatch, checksumsOf, parseGoogHash } from './objectChecksums.js';

/** The object resource fields an upload's JSON metadata may set. */
interface UploadMetadata {
  name?: unknown;
  contentType?: unknown;
  metadata?: unknown;
  crc32c?: unknown;
  md5Hash?: unknown;
}

function parseMetadata(text: string): UploadMetadata {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as UploadMetadata;
  } catch {
    // Answered below, as GCS does for a body that is not an object resource.
  }
  throw new GcsRefusal(400, 'Invalid JSON payload: the object metadata must be a JSON object.', 'parseError');
}

function fieldsOf(metadata: UploadMetadata, contentType?: string): ObjectFields {
  const fields: ObjectFields = {};
  const type = typeof metadata.contentType === 'string' ? metadata.contentType : contentType;
  if (type) fields.contentType = type;
  if (typeof metadata.metadata === 'object' && metadata.metadata !== null) {
    fields.metadata = Object.fromEntries(Object.entries(metadata.metadata).map(([k, v]) => [k, String(v)]));
  }
  return fields;
}

/** The object name: the `name` query parameter, else the metadata's `name`. */
function nameOf(exchange: GcsExchange, metadata: UploadMetadata): string {
  const name = exchange.url.searchParams.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : '');
  if (!name) throw new GcsRefusal(400, 'Required: the object name (the `name` parameter or the metadata `name`).', 'required');
  return name;
}

/** `POST /upload/storage/v1/b/{bucket}/o?uploadType=multipart`: JSON metadata and media in one `multipart/related` body. */
export async function multipartUpload(exchange: GcsExchange, bucket: string): Promise<void> {
  const boundary = relatedBoundary(exchange.request.headers['content-type']);
  if (!boundary) throw new GcsRefusal(400, 'uploadType=multipart needs a multipart/related body with a boundary.', 'invalid');
  exchange.buckets.objects(bucket);
  const body = await readBody(exchange.request, exchange.buckets);
  exchange.buckets.releasePending(body.length);
  const parts = parseMultipartRelated(body, boundary);
  if ('problem' in parts || parts.length !== 2) {
    throw new GcsRefusal(400, `Invalid multipart request: ${'problem' in parts ? parts.problem : `${parts.length} parts, not 2 (metadata, media)`}.`, 'invalid');
  }
  const [metadataPart, media] = parts as [(typeof parts)[0], (typeof parts)[0]];
  const metadata = parseMetadata(metadataPart.body.toString('utf8'));
  const announced = { ...(typeof metadata.crc32c === 'string' ? { crc32c: metadata.crc32c } : {}), ...(typeof metadata.md5Hash === 'string' ? { md5Hash: metadata.md5Hash } : {}) };
  const mismatch = checksumMismatch(announced, checksumsOf(media.body));
  if (mismatch) throw new GcsRefusal(400, mismatch, 'invalid');
  const object = exchange.buckets.put(bucket, nameOf(exchange, metadata), media.body, fieldsOf(metadata, media.headers['content-type']));
  sendJson(exchange.response, 200, objectResource(object, exchange.endpoint));
}

/** `POST /upload/storage/v1/b/{bucket}/o?uploadType=media&name=…`: the body is the object. */
export async function mediaUpload(exchange: GcsExchange, bucket: string): Promise<void> {
  exchange.buckets.objects(bucket);
  const name = nameOf(exchange, {});
  const body = await readBody(exchange.request, exchange.buckets);
  exchange.buckets.releasePending(body.length);
  const mismatch = checksumMismatch(parseGoogHash(exchange.request.headers['x-goog-hash']), checksumsOf(body));
  if (mismatch) throw new GcsRefusal(400, mismatch, 'invalid');
  const object = exchange.buckets.put(bucket, name, body, fieldsOf({}, exchange.request.headers['content-type']));
  sendJson(exchange.response, 200, objectResource(object, exchange.endpoint));
}

/**
 * `POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable`: opens a session and answers its URI
 * in `Location`. The request is authorised here; the session URI is the capability afterwards.
 */
export async function openResumable(exchange: GcsExchange, bucket: string): Promise<void> {
  const { request, buckets } = exchange;
  const body = await readBody(request, buckets);
  buckets.releasePending(body.length);
  const metadata = parseMetadata(body.toString('utf8'));
  const name = nameOf(exchange, metadata);
  const declared = request.headers['x-upload-content-length'];
  if (declared !== undefined && !/^\d+$/.test(String(declared))) throw new GcsRefusal(400, `Invalid X-Upload-Content-Length: ${String(declared)}`, 'invalid');
  const contentType = request.headers['x-upload-content-type'];
  const fields = fieldsOf(metadata, typeof contentType === 'string' ? contentType : undefined);
  const session = exchange.sessions.open(bucket, name, fields, exchange.call.principal ?? '', declared === undefined ? undefined : Number(declared));
  const location = `${exchange.endpoint}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
  exchange.response.writeHead(200, { Location: location, 'Content-Length': 0 }).end();
}

/** `PUT <session URI>` with `Content-Range`: a chunk, the rest, or a status query. 308 with `Range` until the last byte. */
export async function putResumable(exchange: GcsExchange, uploadId: string): Promise<void> {
  const { request, response, sessions } = exchange;
  const session = sessions.get(uploadId);
  const header = request.headers['content-range'];
  exchange.call.contentRange = header;
  const range = parseContentRange(header);
  if ('problem' in range) throw new GcsRefusal(400, range.problem, 'invalid');
  const body = await readBody(request, exchange.buckets);
  const state = sessions.write(session, range, body, parseGoogHash(request.headers['x-goog-hash']));
  if ('done' in state) return sendJson(response, 200, objectResource(state.done, exchange.endpoint));
  response.writeHead(308, { ...(state.received > 0 ? { Range: `bytes=0-${state.received - 1}` } : {}), 'Content-Length': 0 }).end();
}

/** `DELETE <session URI>`: cancels the upload; GCS answers 499 (client closed request). */
export function cancelResumable(exchange: GcsExchange, uploadId: string): void {
  exchange.sessions.cancel(uploadId);
  exchange.response.writeHead(499, { 'Content-Length': 0 }).end();
}
