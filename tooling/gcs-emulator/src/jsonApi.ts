import { parseRange } from './byteRanges.js';
import { GcsRefusal } from './GcsBuckets.js';
import type { StoredObject } from './GcsBuckets.js';
import type { GcsExchange } from './GcsExchange.js';
import { bucketResource, etagOf, objectResource } from './gcsResources.js';
import { sendJson, sendJsonError } from './gcsResponses.js';
import { listObjects, MAX_RESULTS, type ListQuery } from './listObjects.js';
import { googHashHeader } from './objectChecksums.js';

/** `GET /storage/v1/b/{bucket}`: the bucket's resource (how `bucket.exists()` asks). */
export function getBucket(exchange: GcsExchange, bucket: string): void {
  if (!exchange.buckets.hasBucket(bucket)) throw new GcsRefusal(404, 'The specified bucket does not exist.');
  sendJson(exchange.response, 200, bucketResource(bucket, exchange.buckets.bucketCreated(bucket), exchange.endpoint));
}

function listQueryOf(query: URLSearchParams): ListQuery {
  const maxResults = query.get('maxResults');
  if (maxResults !== null && !/^\d+$/.test(maxResults)) throw new GcsRefusal(400, `Invalid value for maxResults: ${maxResults}`, 'invalid');
  const text = (name: string) => query.get(name) ?? undefined;
  return {
    prefix: text('prefix'),
    delimiter: text('delimiter') || undefined,
    maxResults: maxResults === null ? MAX_RESULTS : Number(maxResults),
    pageToken: text('pageToken'),
    startOffset: text('startOffset'),
    endOffset: text('endOffset'),
    includeTrailingDelimiter: query.get('includeTrailingDelimiter') === 'true',
  };
}

/** `GET /storage/v1/b/{bucket}/o`: one page of `objects.list`. */
export function listBucket(exchange: GcsExchange, bucket: string): void {
  const page = listObjects(exchange.buckets.objects(bucket), listQueryOf(exchange.url.searchParams));
  sendJson(exchange.response, 200, {
    kind: 'storage#objects',
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    ...(page.prefixes.length ? { prefixes: page.prefixes } : {}),
    ...(page.items.length ? { items: page.items.map((o) => objectResource(o, exchange.endpoint)) } : {}),
  });
}

/** `GET /storage/v1/b/{bucket}/o/{object}`: metadata, or with `alt=media` the bytes. */
export function getObject(exchange: GcsExchange, bucket: string, name: string): void {
  const object = exchange.buckets.get(bucket, name);
  if (exchange.url.searchParams.get('alt') === 'media') {
    exchange.call.operation = 'objects.media';
    sendMedia(exchange, object, 'json');
    return;
  }
  sendJson(exchange.response, 200, objectResource(object, exchange.endpoint));
}

/** `DELETE /storage/v1/b/{bucket}/o/{object}`: 204, or 404 when there is no such object. */
export function deleteObject(exchange: GcsExchange, bucket: string, name: string): void {
  exchange.buckets.delete(bucket, name);
  exchange.response.writeHead(204).end();
}

/**
 * An object's bytes with the headers GCS sends (the client checks `x-goog-hash` against what it
 * reads when `x-goog-stored-content-encoding` is `identity`); one `Range` is honoured with 206.
 */
export function sendMedia(exchange: GcsExchange, object: StoredObject, api: 'json' | 'xml'): void {
  const { response } = exchange;
  const size = object.data.length;
  const range = parseRange(exchange.request.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    if (api === 'json') return sendJsonError(response, 416, 'Request range not satisfiable', 'requestedRangeNotSatisfiable');
    response.writeHead(416, { 'Content-Type': 'application/xml; charset=UTF-8' });
    response.end(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>InvalidRange</Code><Message>The requested range cannot be satisfied.</Message></Error>`);
    return;
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  const headers: Record<string, string | number> = {
    'Content-Type': object.contentType,
    'Content-Length': end - start + 1,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
    ETag: `"${etagOf(object)}"`,
    'Last-Modified': object.created.toUTCString(),
    'x-goog-generation': object.generation,
    'x-goog-metageneration': '1',
    'x-goog-hash': googHashHeader(object),
    'x-goog-storage-class': 'STANDARD',
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-stored-content-length': size,
  };
  if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  response.writeHead(range.kind === 'part' ? 206 : 200, headers);
  response.end(object.data.subarray(start, end + 1));
}
