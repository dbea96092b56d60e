import { Readable } from 'node:stream';
import type { Bucket, File, GetFilesOptions } from '@google-cloud/storage';
import { StowageError, type ArtifactLocation, type ArtifactStore, type PutOptions, type SecretSink } from '@stowage/plugin-api';
import type { GcsArtifactStoreConfig } from './config.js';
import { createGcsClient, type GcsClient } from './createGcsClient.js';
import { gcsFailure, isMissingObject } from './gcsFailure.js';
import { objectNameOf, parseGcsPath, type GcsLocation } from './gcsPath.js';
import { openDownload } from './openDownload.js';
import { DEFAULT_PUT_PLAN, putObject } from './putObject.js';

/** Knobs the config does not show: tests page and chunk without writing megabytes. */
export interface GcsStoreTuning {
  /** Objects per `objects.list` page (default and GCS's maximum: 1000). */
  listPageSize?: number;
  /** Largest put of known size sent as one request (default 8 MiB). */
  singleRequestLimit?: number;
  /** Bytes per resumable upload request, a multiple of 256 KiB (default 8 MiB). */
  chunkSize?: number;
  /** Retries of retryable failures (default: the client's, 3). */
  maxRetries?: number;
}

/** V4 signed URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * A GCS bucket (or a folder of one) as an artifact store, through `@google-cloud/storage` with an
 * auth client this plugin builds. The client is created on first use: Application Default
 * Credentials are looked up then, not when the stack opens.
 */
export class GcsArtifactStore implements ArtifactStore {
  private client?: Promise<GcsClient>;

  constructor(
    private readonly config: GcsArtifactStoreConfig,
    readonly location: GcsLocation,
    private readonly secrets: SecretSink,
    private readonly tuning: GcsStoreTuning = {},
  ) {}

  static open(config: GcsArtifactStoreConfig, secrets: SecretSink, tuning?: GcsStoreTuning): GcsArtifactStore {
    return new GcsArtifactStore(config, parseGcsPath(config.path), secrets, tuning);
  }

  async exists(key: string): Promise<boolean> {
    const name = objectNameOf(this.location, key);
    try {
      await (await this.bucket()).file(name).getMetadata();
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw this.failure(`could not check whether ${key} exists in ${this.location.root}`, error);
    }
  }

  async put(key: string, data: Readable | Uint8Array | string, options: PutOptions = {}): Promise<void> {
    try {
      const file = (await this.bucket()).file(objectNameOf(this.location, key));
      const plan = { singleRequestLimit: this.tuning.singleRequestLimit ?? DEFAULT_PUT_PLAN.singleRequestLimit, chunkSize: this.tuning.chunkSize ?? DEFAULT_PUT_PLAN.chunkSize };
      await putObject(await this.gcs(), file, data, options, plan);
    } catch (error) {
      // The caller's stream is released whatever happened to it.
      if (data instanceof Readable && !data.destroyed) data.destroy();
      throw this.failure(`could not write ${key} to ${this.location.root}`, error);
    }
  }

  async get(key: string): Promise<Readable> {
    const name = objectNameOf(this.location, key);
    try {
      return await openDownload((await this.bucket()).file(name));
    } catch (error) {
      if (isMissingObject(error)) {
        throw new StowageError(`artifact ${key} does not exist in ${this.location.root}`, { code: 'ARTIFACT_STORE_FAILED', cause: error });
      }
      throw this.failure(`could not read ${key} from ${this.location.root}`, error);
    }
  }

  locate(key: string): ArtifactLocation {
    return { uri: `${this.location.root}/${key}`, scheme: 'gs', bucket: this.location.bucket, path: objectNameOf(this.location, key) };
  }

  /** A V4 signed GET URL (signed locally with the service account's key); its signature is registered as a secret. */
  async presign(key: string, ttlSeconds: number): Promise<string> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_PRESIGN_SECONDS) {
      throw new StowageError(`a signed GCS URL lives 1 to ${MAX_PRESIGN_SECONDS} seconds (7 days), not ${ttlSeconds}`, { code: 'USAGE' });
    }
    const name = objectNameOf(this.location, key);
    const client = await this.gcs().catch((error: unknown) => Promise.reject(this.failure(`could not presign ${key} in ${this.location.root}`, error)));
    if (!client.signer) {
      throw new StowageError(`cannot presign ${key} in ${this.location.root}: signing a GCS URL needs a service account's private key, and the store's credentials have none`, {
        code: 'CAPABILITY_MISSING',
        hint: 'set `service_account_key` (as `${VAR}`), or point GOOGLE_APPLICATION_CREDENTIALS at a service-account key file; an access token or user credentials cannot sign URLs',
      });
    }
    let url: string;
    try {
      // Whole seconds, so that the URL lives exactly `ttlSeconds` (the signer counts in seconds).
      const now = Math.floor(Date.now() / 1000) * 1000;
      [url] = await this.file(client, name).getSignedUrl({ version: 'v4', action: 'read', accessibleAt: now, expires: now + ttlSeconds * 1000 });
    } catch (error) {
      throw this.failure(`could not presign ${key} in ${this.location.root}`, error);
    }
    const signature = new URL(url).searchParams.get('X-Goog-Signature');
    if (signature) this.secrets.add(signature);
    return url;
  }

  /** Removes one artifact; a key that is not there is fine (deleting is idempotent), a missing bucket is not. */
  async delete(key: string): Promise<void> {
    const name = objectNameOf(this.location, key);
    try {
      await (await this.bucket()).file(name).delete();
    } catch (error) {
      if (isMissingObject(error)) return;
      throw this.failure(`could not delete ${key} from ${this.location.root}`, error);
    }
  }

  /** Keys below the store's folder that start with `prefix` (as text), page after page, sorted. */
  async list(prefix: string): Promise<string[]> {
    const folder = this.location.prefix ? `${this.location.prefix}/` : '';
    const keys: string[] = [];
    try {
      const bucket = await this.bucket();
      let query: GetFilesOptions | null = { prefix: folder + prefix, autoPaginate: false, maxResults: this.tuning.listPageSize ?? 1000 };
      while (query) {
        const [files, next] = await bucket.getFiles(query);
        // Folder markers (`a/`, made by consoles) are not artifacts.
        for (const { name } of files) if (name.startsWith(folder) && !name.endsWith('/')) keys.push(name.slice(folder.length));
        query = next as GetFilesOptions | null;
      }
    } catch (error) {
      throw this.failure(`could not list ${JSON.stringify(prefix)} in ${this.location.root}`, error);
    }
    return keys.sort();
  }

  /** The client, made once; a failed attempt (no ADC yet) is tried again on the next call. */
  private gcs(): Promise<GcsClient> {
    this.client ??= createGcsClient(this.config, this.secrets, this.tuning.maxRetries).catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  private async bucket(): Promise<Bucket> {
    return (await this.gcs()).storage.bucket(this.location.bucket);
  }

  private file(client: GcsClient, name: string): File {
    return client.storage.bucket(this.location.bucket).file(name);
  }

  private failure(message: string, error: unknown): StowageError {
    return gcsFailure(message, error, this.location.root);
  }
}
