import type { Readable } from 'node:stream';

/** Where an object is (or will be), typed: `s3://bucket/path`, `gs://…`, `file:///…`. */
export interface ArtifactLocation {
  uri: string;
  scheme: string;
  /** Bucket or container, for object stores. */
  bucket?: string;
  /** Object path inside the bucket, or the absolute file path. */
  path: string;
}

export interface PutOptions {
  /** Bytes, when known (lets a store choose a single or multipart upload). */
  size?: number;
  contentType?: string;
  /** Cancels the upload (Ctrl-C); a cancelled put leaves no object. */
  signal?: AbortSignal;
}

/** Keys are relative, `/`-separated and validated by the host before a store sees them. */
export interface ArtifactStore {
  exists(key: string): Promise<boolean>;
  /** Writes all or nothing: a failed put leaves no object that `exists` would report. */
  put(key: string, data: Readable | Uint8Array | string, options?: PutOptions): Promise<void>;
  get(key: string): Promise<Readable>;
  locate(key: string): ArtifactLocation;
  /** A URL that reads the object without credentials until it expires. */
  presign?(key: string, ttlSeconds: number): Promise<string>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix` as text (as S3 lists; `''` for all), sorted. */
  list(prefix: string): Promise<string[]>;
}

/** What planning needs to know about an artifact store, from its config alone. */
export interface ArtifactStoreDescription {
  scheme: string;
  /** Location of the store's root (`s3://bucket/prefix`, `file:///abs/path`); keys go below it. */
  root: string;
  /** Containers on other machines can read from it (s3, gcs, …; a local folder cannot). */
  reachableFromContainers: boolean;
  identity?: Readonly<Record<string, unknown>>;
}
