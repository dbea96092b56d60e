import { randomBytes } from 'node:crypto';
import { checksumsOf, type ObjectChecksums } from './objectChecksums.js';

/** One stored object: its bytes and what the JSON API reports about it. */
export interface StoredObject extends ObjectChecksums {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: string;
  metadata?: Record<string, string>;
  created: Date;
}

/** What an upload says about the object besides its bytes. */
export interface ObjectFields {
  contentType?: string;
  metadata?: Record<string, string>;
}

/** A request the emulator refuses, with the status and message GCS would answer. */
export class GcsRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'GcsRefusal';
  }
}

export const NO_SUCH_BUCKET = 'The specified bucket does not exist.';

/** GCS bucket naming, simplified: 3-63 of lower-case letters, digits, `-`, `_`, `.`, starting and ending alphanumeric. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/**
 * The emulator's buckets and objects, in memory and bounded: together, the objects and the bytes
 * of unfinished resumable uploads stay under `maxBytes` (a test that would need more is refused
 * with 503 rather than filling the machine).
 */
export class GcsBuckets {
  private readonly buckets = new Map<string, { created: Date; objects: Map<string, StoredObject> }>();
  /** Test fault: the next object stored keeps its first byte flipped, as a storage fault would (its checksums are the corrupted bytes'). */
  corruptNext = false;
  private storedBytes = 0;
  private pendingBytes = 0;
  private lastGeneration = 0;

  constructor(
    readonly maxBytes: number,
    private readonly now: () => Date,
  ) {}

  createBucket(name: string): void {
    if (!BUCKET_NAME.test(name)) throw new GcsRefusal(400, `Invalid bucket name: '${name}'`, 'invalid');
    if (!this.buckets.has(name)) this.buckets.set(name, { created: this.now(), objects: new Map() });
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  bucketCreated(name: string): Date {
    return this.bucket(name).created;
  }

  get(bucket: string, name: string): StoredObject {
    const object = this.bucket(bucket).objects.get(name);
    if (!object) throw new GcsRefusal(404, `No such object: ${bucket}/${name}`);
    return object;
  }

  find(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.objects.get(name);
  }

  /** Objects of a bucket, sorted by name (as GCS lists them). */
  objects(bucket: string): StoredObject[] {
    return [...this.bucket(bucket).objects.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Writes a whole object (a new generation; one already there is replaced at once). */
  put(bucket: string, name: string, data: Buffer, fields: ObjectFields = {}): StoredObject {
    const objects = this.bucket(bucket).objects;
    if (!name || Buffer.byteLength(name) > 1024 || /[\r\n]/.test(name)) throw new GcsRefusal(400, `Invalid object name: '${name}'`, 'invalid');
    const previous = objects.get(name);
    this.reserveStored(data.length - (previous?.data.length ?? 0));
    if (this.corruptNext && data.length > 0) {
      this.corruptNext = false;
      data = Buffer.from(data);
      data[0] = data[0]! ^ 0xff;
    }
    const object: StoredObject = {
      bucket,
      name,
      data,
      contentType: fields.contentType || 'application/octet-stream',
      generation: this.nextGeneration(),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
      created: this.now(),
      ...checksumsOf(data),
    };
    objects.set(name, object);
    return object;
  }

  delete(bucket: string, name: string): void {
    const object = this.get(bucket, name);
    this.bucket(bucket).objects.delete(name);
    this.storedBytes -= object.data.length;
  }

  /** Counts bytes an unfinished upload holds; throws 503 when they would pass the bound. */
  reservePending(bytes: number): void {
    if (this.storedBytes + this.pendingBytes + bytes > this.maxBytes) throw this.full();
    this.pendingBytes += bytes;
  }

  releasePending(bytes: number): void {
    this.pendingBytes = Math.max(0, this.pendingBytes - bytes);
  }

  private reserveStored(bytes: number): void {
    if (this.storedBytes + this.pendingBytes + bytes > this.maxBytes) throw this.full();
    this.storedBytes += bytes;
  }

  private full(): GcsRefusal {
    return new GcsRefusal(503, `the GCS emulator holds at most ${this.maxBytes} bytes (option maxBytes)`, 'backendError');
  }

  private bucket(name: string): { created: Date; objects: Map<string, StoredObject> } {
    const bucket = this.buckets.get(name);
    if (!bucket) throw new GcsRefusal(404, NO_SUCH_BUCKET);
    return bucket;
  }

  /** Generations grow with time, as GCS's (microseconds since the epoch), and never repeat. */
  private nextGeneration(): string {
    this.lastGeneration = Math.max(this.lastGeneration + 1, this.now().getTime() * 1000 + (randomBytes(1)[0]! % 1000));
    return String(this.lastGeneration);
  }
}
