import { z } from 'zod';
import { awsCredentialFields, credentialIssues } from '@stowage/aws';
import { readS3Path } from './s3Path.js';

const CHECKSUM_MODES = ['when_supported', 'when_required'] as const;

export const S3ArtifactStoreConfigSchema = z
  .object({
    path: z
      .string()
      .superRefine((path, ctx) => {
        const read = readS3Path(path);
        if ('problem' in read) ctx.addIssue({ code: 'custom', message: read.problem });
      })
      .describe('Bucket and optional folder of the store: `s3://<bucket>[/<folder>]`. Keys go below the folder.'),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'expected an AWS region like `eu-west-1`')
      .optional()
      .describe("AWS region of the bucket (default: the SDK's chain — AWS_REGION, the profile's region — else `us-east-1`, following S3's redirect to the bucket's region)."),
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL like `https://s3.eu-west-1.amazonaws.com`' })
      .optional()
      .describe('Endpoint URL instead of AWS S3: a VPC endpoint or an S3-compatible store (MinIO, Ceph, a test emulator).'),
    force_path_style: z
      .boolean()
      .default(false)
      .describe('Address objects as `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (most S3-compatible stores need it; default: false).'),
    ...awsCredentialFields,
    request_checksum_calculation: z
      .enum(CHECKSUM_MODES)
      .optional()
      .describe(
        "When uploads carry a checksum (default: the SDK's — AWS_REQUEST_CHECKSUM_CALCULATION, the profile, else when_supported). Set `when_required` for stores that mishandle the SDK's checksums (s3rver stores aws-chunked streams with their framing).",
      ),
    response_checksum_validation: z
      .enum(CHECKSUM_MODES)
      .optional()
      .describe("When downloads are checked against the store's checksum (default: the SDK's — AWS_RESPONSE_CHECKSUM_VALIDATION, the profile, else when_supported)."),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of credentialIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type S3ArtifactStoreConfig = z.output<typeof S3ArtifactStoreConfigSchema>;
