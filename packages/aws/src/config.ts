// What the AWS plugins' config schemas share.
import { z } from 'zod';
import { secret } from '@stowage/plugin-api';

const SECRET_ACCESS_KEY = 'AWS secret access key that goes with `access_key_id` (redacted when printed). Write `${VAR}`, never the literal value.';
const SESSION_TOKEN = 'AWS session token of temporary credentials, with `access_key_id` and `secret_access_key` (redacted when printed). Write `${VAR}`.';

/** The credential keys of every AWS plugin's config; check them with {@link credentialIssues}. */
export const awsCredentialFields = {
  access_key_id: z
    .string()
    .min(1)
    .optional()
    .describe("AWS access key id. Without it the SDK's standard chain is used (environment, profile, SSO, web identity, container or instance role)."),
  // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
  secret_access_key: secret(SECRET_ACCESS_KEY).optional().describe(SECRET_ACCESS_KEY),
  session_token: secret(SESSION_TOKEN).optional().describe(SESSION_TOKEN),
};

/** The credential keys every AWS plugin's config has. */
export interface AwsCredentialSettings {
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
}

/** Static credentials are a pair (plus an optional session token); half of one is a missing `${VAR}`. */
export function credentialIssues(config: AwsCredentialSettings): { path: string[]; message: string }[] {
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
