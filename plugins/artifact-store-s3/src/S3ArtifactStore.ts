import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sdkErrorReason } from '@stowage/aws';
import { expectSize, StowageError, type ArtifactLocation, type ArtifactStore, type PutOptions, type SecretSink } from '@stowage/plugin-api';
import type { S3ArtifactStoreConfig } from './config.js';
import { createS3Client } from './createS3Client.js';
import { isMissingObject, s3Failure } from './s3Failure.js';
import { objectKeyOf, parseS3Path, type S3Location } from './s3Path.js';

/** Knobs the config does not show: tests page through lists without writing 1000 keys. */
export interface S3StoreTuning {
  /** Keys per ListObjectsV2 page (default and S3's maximum: 1000). */
  listPageSize?: number;
  /** Bytes per multipart part (default: lib-storage's 5 MiB, more when `size` needs over 10,000 parts). */
  partSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * An S3 bucket (or a folder of one) as an artifact store. Uploads go through lib-storage's
 * `Upload` (one PutObject for small data, multipart above 5 MiB); a failed upload is aborted so no
 * object and no parts stay behind.
 */
export class S3ArtifactStore implements ArtifactStore {
  constructor(
    private readonly client: S3Client,
    readonly location: S3Location,
    private readonly secrets: SecretSink,
    private readonly tuning: S3StoreTuning = {},
  ) {}

  static open(config: S3ArtifactStoreConfig, secrets: SecretSink, tuning?: S3StoreTuning): S3ArtifactStore {
    return new S3ArtifactStore(createS3Client(config, secrets), parseS3Path(config.path), secrets, tuning);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand(this.object(key)));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw this.failure(`could not check whether ${key} exists in ${this.location.root}`, error);
    }
  }

  async put(key: string, data: Readable | Uint8Array | string, options: PutOptions = {}): Promise<void> {
    let upload: Upload | undefined;
    try {
      upload = new Upload({
        client: this.client,
        params: { ...this.object(key), Body: expectSize(data, options.size), ...(options.contentType ? { ContentType: options.contentType } : {}) },
        partSize: this.partSize(options.size),
        // Aborted here instead, so a failed abort is reported together with what made the upload fail.
        leavePartsOnError: true,
      });
      const abort = () => void upload?.abort();
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted) abort();
      try {
        await upload.done();
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
    } catch (error) {
      // The caller's stream is released whatever happened to it.
      if (data instanceof Readable && !data.destroyed) data.destroy();
      throw await this.abandon(upload, key, error);
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand(this.object(key)));
      if (!(Body instanceof Readable)) throw new Error('the response has no body stream');
      return Body;
    } catch (error) {
      if (isMissingObject(error)) {
        throw new StowageError(`artifact ${key} does not exist in ${this.location.root}`, { code: 'ARTIFACT_STORE_FAILED', cause: error });
      }
      throw this.failure(`could not read ${key} from ${this.location.root}`, error);
    }
  }

  locate(key: string): ArtifactLocation {
    return { uri: `${this.location.root}/${key}`, scheme: 's3', bucket: this.location.bucket, path: objectKeyOf(this.location, key) };
  }

  /** A GET URL signed with the store's credentials; its signature is registered as a secret. */
  async presign(key: string, ttlSeconds: number): Promise<string> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_PRESIGN_SECONDS) {
      throw new StowageError(`a presigned S3 URL lives 1 to ${MAX_PRESIGN_SECONDS} seconds (7 days), not ${ttlSeconds}`, { code: 'USAGE' });
    }
    let url: string;
    try {
      url = await getSignedUrl(this.client, new GetObjectCommand(this.object(key)), { expiresIn: ttlSeconds });
    } catch (error) {
      throw this.failure(`could not presign ${key} in ${this.location.root}`, error);
    }
    const signature = new URL(url).searchParams.get('X-Amz-Signature');
    if (signature) this.secrets.add(signature);
    return url;
  }

  /** Removes one artifact; S3 answers a missing key with success too (deleting is idempotent). */
  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand(this.object(key)));
    } catch (error) {
      if (isMissingObject(error)) return;
      throw this.failure(`could not delete ${key} from ${this.location.root}`, error);
    }
  }

  /** Keys below the store's folder that start with `prefix`, page after page, sorted. */
  async list(prefix: string): Promise<string[]> {
    const folder = this.location.prefix ? `${this.location.prefix}/` : '';
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: folder + prefix, ContinuationToken: token, MaxKeys: this.tuning.listPageSize }),
        );
        for (const { Key } of page.Contents ?? []) {
          // Folder markers (`a/`, made by consoles) are not artifacts.
          if (Key?.startsWith(folder) && !Key.endsWith('/')) keys.push(Key.slice(folder.length));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.failure(`could not list ${JSON.stringify(prefix)} in ${this.location.root}`, error);
    }
    return keys.sort();
  }

  private object(key: string): { Bucket: string; Key: string } {
    return { Bucket: this.location.bucket, Key: objectKeyOf(this.location, key) };
  }

  /** lib-storage's 5 MiB parts, unless the known size needs bigger ones to stay within 10,000 parts. */
  private partSize(size: number | undefined): number | undefined {
    if (this.tuning.partSize) return this.tuning.partSize;
    return size !== undefined && size > MIN_PART_SIZE * MAX_PARTS ? Math.ceil(size / MAX_PARTS) : undefined;
  }

  /** Aborts the multipart upload a failed put began (its parts are billed and invisible otherwise). */
  private async abandon(upload: Upload | undefined, key: string, error: unknown): Promise<StowageError> {
    const failure = this.failure(`could not write ${key} to ${this.location.root}`, error);
    if (!upload?.uploadId) return failure;
    try {
      await this.client.send(new AbortMultipartUploadCommand({ ...this.object(key), UploadId: upload.uploadId }));
      return failure;
    } catch (abortError) {
      const { bucket } = this.location;
      return new StowageError(`${failure.message}; aborting its multipart upload failed too: ${sdkErrorReason(abortError)}`, {
        code: 'ARTIFACT_STORE_FAILED',
        cause: error,
        hint: `abort it with \`aws s3api abort-multipart-upload --bucket ${bucket} --key ${objectKeyOf(this.location, key)} --upload-id ${upload.uploadId}\`, or let a lifecycle rule abort incomplete multipart uploads`,
      });
    }
  }

  private failure(message: string, error: unknown): StowageError {
    return s3Failure(message, error, this.location.root);
  }
}
