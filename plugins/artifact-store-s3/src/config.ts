import { z } from 'zod';
import { secret } from '@stowage/plugin-api';
import { readS3Path } from './s3Path.js';

const CHECKSUM_MODES = ['when_supported', 'when_required'] as const;

const SECRET_ACCESS_KEY = 'AWS secret access key that goes with `access_key_id` (redacted when printed). Write `${VAR}`, never the literal value.';
const SESSION_TOKEN = 'AWS session token of temporary credentials, with `access_key_id` and `secret_access_key` (redacted when printed). Write `${VAR}`.';

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
    access_key_id: z
      .string()
      .min(1)
      .optional()
      .describe("AWS access key id. Without it the SDK's standard chain is used (environment, profile, SSO, web identity, container or instance role)."),
    // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
    secret_access_key: secret(SECRET_ACCESS_KEY).optional().describe(SECRET_ACCESS_KEY),
    session_token: secret(SESSION_TOKEN).optional().describe(SESSION_TOKEN),
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

/** Static credentials are a pair (plus an optional session token); half of one is a missing `${VAR}`. */
export function credentialIssues(config: { access_key_id?: string; secret_access_key?: string; session_token?: string }): { path: string[]; message: string }[] {
  const neither = 'set both, or neither to use the standard AWS credential chain';
  if (config.access_key_id && !config.secret_access_key) {
    return [{ path: ['secret_access_key'], message: `\`access_key_id\` is set but \`secret_access_key\` is not: ${neither}` }];
  }
  if (config.secret_access_key && !config.access_key_id) {
    return [{ path: ['access_key_id'], message: `\`secret_access_key\` is set but \`access_key_id\` is not: ${neither}` }];
  }
  if (config.session_token && !config.access_key_id) {
    return [{ path: ['session_token'], message: '`session_token` goes with `access_key_id` and `secret_access_key`: set all three, or none to use the standard AWS credential chain' }];
  }
  return [];
}
