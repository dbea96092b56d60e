import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { TestCredentials } from './verifySigV4.js';

/** Where the emulated CodeBuild reads S3 sources: an S3 endpoint (s3rver in tests) and its credentials. */
export interface S3SourceEndpoint {
  endpoint: string;
  region?: string;
  credentials: TestCredentials;
}

/**
 * Reads `<bucket>/<key>` (or `arn:aws:s3:::<bucket>/<key>`) as CodeBuild's service role would, with
 * the real S3 client; the object's version id (else its ETag) is the resolved source version.
 */
export function s3SourceReader(s3: S3SourceEndpoint): (location: string) => Promise<{ body: Buffer; version: string }> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region ?? 'us-east-1',
    credentials: s3.credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return async (location) => {
    const path = location.replace(/^arn:aws:s3:::/, '');
    const slash = path.indexOf('/');
    if (slash <= 0) throw new Error(`source location ${location} is not <bucket>/<key>`);
    const object = await client.send(new GetObjectCommand({ Bucket: path.slice(0, slash), Key: path.slice(slash + 1) }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    return { body, version: object.VersionId ?? (object.ETag ?? '').replaceAll('"', '') };
  };
}
