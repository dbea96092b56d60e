import type { StoredObject } from './GcsBuckets.js';

/**
 * The JSON API's resources, as GCS writes them: int64 fields (`size`, `generation`,
 * `metageneration`) are strings, times are RFC 3339, links point back at this endpoint.
 */
export function objectResource(object: StoredObject, endpoint: string): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  const time = object.created.toISOString();
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${endpoint}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${endpoint}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: object.generation,
    metageneration: '1',
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: etagOf(object),
    timeCreated: time,
    updated: time,
    timeStorageClassUpdated: time,
    ...(object.metadata ? { metadata: object.metadata } : {}),
  };
}

export function bucketResource(name: string, created: Date, endpoint: string): Record<string, unknown> {
  const time = created.toISOString();
  return {
    kind: 'storage#bucket',
    selfLink: `${endpoint}/storage/v1/b/${name}`,
    id: name,
    name,
    projectNumber: '000000000000',
    metageneration: '1',
    location: 'US',
    storageClass: 'STANDARD',
    etag: 'CAE=',
    timeCreated: time,
    updated: time,
    locationType: 'multi-region',
  };
}

/** GCS's object ETag is derived from the generation; any stable per-generation value does. */
export function etagOf(object: StoredObject): string {
  return Buffer.from(object.generation).toString('base64');
}
