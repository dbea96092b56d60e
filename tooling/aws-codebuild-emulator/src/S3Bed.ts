import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3SourceEndpoint } from './S3Source.js';

/** s3rver's one account: it checks the access key id and verifies no SigV4 signature at all. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver 3.7.1 on 127.0.0.1, port 0, in a temp folder, with one bucket: the S3 the emulated CodeBuild reads. */
export class S3Bed {
  endpoint = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'stowage-s3rver-'));
  private readonly server: S3rver;
  private client?: S3Client;

  constructor(readonly bucket = 'stowage-codebuild') {
    this.server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: this.dir, configureBuckets: [{ name: bucket, configs: [] }] });
  }

  static async start(bucket?: string): Promise<S3Bed> {
    const bed = new S3Bed(bucket);
    const { port } = await bed.server.run();
    bed.endpoint = `http://127.0.0.1:${port}`;
    return bed;
  }

  /** What the CodeBuild emulator needs to read sources from this bed. */
  get source(): S3SourceEndpoint {
    return { endpoint: this.endpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS };
  }

  /** Uploads bytes with the real S3 client (as the `stage-context` step does); returns `<bucket>/<key>`. */
  async put(key: string, body: Uint8Array): Promise<string> {
    this.client ??= new S3Client({ ...this.source, forcePathStyle: true, maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    return `${this.bucket}/${key}`;
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
