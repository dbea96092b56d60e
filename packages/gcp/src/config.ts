// What the GCP plugins' config schemas share. No Google library: each plugin builds its auth client
// from its own `google-auth-library` (storage and cloudbuild use different majors, and an auth
// client of one major handed to the other sends no token).
import { z } from 'zod';
import { secret } from '@stowage/plugin-api';

const SERVICE_ACCOUNT_KEY =
  'The JSON key of a service account (the content of the key file, redacted when printed). Write `${VAR}`, never the literal key. Google API requests carry a self-signed JWT made from it; the container registry exchanges it for an access token.';
const ACCESS_TOKEN = 'An OAuth2 access token, e.g. from `gcloud auth print-access-token` (redacted when printed; it expires after about an hour). Write `${VAR}`.';

/** The credential keys of every GCP plugin's config; check them with {@link gcpCredentialIssues}. */
export const gcpCredentialFields = {
  project: z
    .string()
    .min(1)
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a GCP project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter')
    .optional()
    .describe('GCP project id. Without it, the `project_id` of `service_account_key`, then Application Default Credentials.'),
  // The description goes on both: `secret()` carries the redaction marker, `.optional()` is what --help reads.
  service_account_key: secret(SERVICE_ACCOUNT_KEY).optional().describe(SERVICE_ACCOUNT_KEY),
  access_token: secret(ACCESS_TOKEN).optional().describe(ACCESS_TOKEN),
};

/** The credential keys every GCP plugin's config has. Neither key set means Application Default Credentials. */
export interface GcpCredentialSettings {
  project?: string;
  service_account_key?: string;
  access_token?: string;
}

/** The parts of a service account's JSON key the plugins use. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
}

/** Where a GCP plugin's credentials come from, decided from config alone. */
export type GcpCredentialSource =
  | { kind: 'access-token'; token: string }
  | { kind: 'service-account'; key: ServiceAccountKey }
  | { kind: 'adc' };

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

type KeyParse = { key: ServiceAccountKey } | { problem: string };

/** Reads a JSON key without ever echoing it: problems name fields, never values. */
function parseServiceAccountKey(text: string): KeyParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON: give the whole content of the key file (e.g. `service_account_key: ${GCP_SA_KEY}` with `GCP_SA_KEY="$(cat key.json)"`)' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { problem: 'is not a JSON object: give the content of a service-account key file' };
  const fields = json as Record<string, unknown>;
  if (fields['type'] !== undefined && fields['type'] !== 'service_account') {
    return { problem: `is a key of type "${String(fields['type']).slice(0, 40)}", not "service_account": for your own login use Application Default Credentials (leave both keys out) or \`access_token\`` };
  }
  const email = fields['client_email'];
  const privateKey = fields['private_key'];
  if (typeof email !== 'string' || !email.includes('@')) return { problem: 'has no `client_email`: give the content of a service-account key file' };
  if (typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY')) return { problem: 'has no PEM `private_key`: give the content of a service-account key file' };
  const optional = (name: string): string | undefined => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  const key: ServiceAccountKey = { client_email: email, private_key: privateKey };
  const keyId = optional('private_key_id');
  const projectId = optional('project_id');
  if (keyId) key.private_key_id = keyId;
  if (projectId) key.project_id = projectId;
  return { key };
}

/** Config problems as schema issues: both keys set, or a key that is not a service-account key. */
export function gcpCredentialIssues(config: GcpCredentialSettings): { path: string[]; message: string }[] {
  if (config.service_account_key && config.access_token) {
    return [{ path: ['access_token'], message: '`service_account_key` and `access_token` are both set: keep one (or neither, to use Application Default Credentials)' }];
  }
  if (config.service_account_key) {
    const parsed = parseServiceAccountKey(config.service_account_key);
    if ('problem' in parsed) return [{ path: ['service_account_key'], message: `the service-account key ${parsed.problem}` }];
  }
  return [];
}

/** The credentials a plugin uses: `access_token`, else `service_account_key`, else Application Default Credentials. */
export function gcpCredentialSource(config: GcpCredentialSettings): GcpCredentialSource {
  if (config.access_token) return { kind: 'access-token', token: config.access_token };
  if (config.service_account_key) {
    const parsed = parseServiceAccountKey(config.service_account_key);
    // The schema's check ran first (gcpCredentialIssues); this is for callers that skipped it.
    if ('problem' in parsed) throw new TypeError(`service_account_key: the service-account key ${parsed.problem}`);
    return { kind: 'service-account', key: parsed.key };
  }
  return { kind: 'adc' };
}

/** The project requests go to: `project`, else the key's `project_id`; undefined leaves it to ADC. */
export function projectOf(config: GcpCredentialSettings, source: GcpCredentialSource = gcpCredentialSource(config)): string | undefined {
  return config.project ?? (source.kind === 'service-account' ? source.key.project_id : undefined);
}
