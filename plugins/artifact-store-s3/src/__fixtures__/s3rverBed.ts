import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3ArtifactStoreConfig } from '../config.js';
import { S3ArtifactStoreConfigSchema } from '../config.js';

/** s3rver's one account: it checks the access key id, and verifies no SigV4 signature at all. */
export const S3RVER_CREDENTIALS = { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' };

interface KoaContext {
  method: string;
  url: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/**
 * s3rver 3.7.1 on 127.0.0.1, port 0, in a temp folder, with one bucket. It records each request
 * (`PUT /bucket/key?partNumber=1&uploadId=…`) and, because s3rver answers AbortMultipartUpload
 * with 405 MethodNotAllowed, implements that one call the way S3 does (parts gone, 204) unless
 * `abortSupported` is false. Pending multipart uploads are read from s3rver's own folder.
 */
export class S3rverBed {
  readonly requests: string[] = [];
  abortSupported = true;
  endpoint = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'stowage-s3rver-'));
  private readonly server: S3rver;

  constructor(readonly bucket = 'stowage-test') {
    this.server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.dir, configureBuckets: [{ name: bucket, configs: [] }] });
    // Koa composes its middleware when the server starts: these run before s3rver's own.
    (this.server as unknown as { middleware: KoaMiddleware[] }).middleware.unshift(this.record, this.abortMultipartUpload);
  }

  async start(): Promise<this> {
    const { port } = await this.server.run();
    this.endpoint = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A config of the s3 flavor for this bed (the checksum options s3rver needs, path-style addressing). */
  config(extra: Record<string, unknown> = {}): S3ArtifactStoreConfig {
    return S3ArtifactStoreConfigSchema.parse({
      path: `s3://${this.bucket}/stowage`,
      endpoint: this.endpoint,
      region: 'us-east-1',
      force_path_style: true,
      ...S3RVER_CREDENTIALS,
      request_checksum_calculation: 'when_required',
      response_checksum_validation: 'when_required',
      ...extra,
    });
  }

  /** Upload ids of multipart uploads begun and neither completed nor aborted. */
  pendingUploads(bucket = this.bucket): string[] {
    try {
      return readdirSync(join(this.dir, bucket, '._S3rver_uploads'));
    } catch {
      return [];
    }
  }

  private readonly record: KoaMiddleware = async (ctx, next) => {
    this.requests.push(`${ctx.method} ${ctx.url}`);
    await next();
  };

  private readonly abortMultipartUpload: KoaMiddleware = async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    if (!this.abortSupported || ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
    const bucket = decodeURIComponent(ctx.path.split('/')[1] ?? '');
    if (!this.pendingUploads(bucket).includes(uploadId)) {
      ctx.status = 404;
      ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.' } };
      return;
    }
    rmSync(join(this.dir, bucket, '._S3rver_uploads', uploadId), { recursive: true, force: true });
    ctx.status = 204;
  };
}
