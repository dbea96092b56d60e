import { Storage } from '@google-cloud/storage';
import { JWT, OAuth2Client, type AuthClient } from 'google-auth-library';
import type { TestServiceAccount } from '@stowage/gcp-auth-emulator';
import type { GcsEmulator } from '../GcsEmulator.js';

export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** What a GCP plugin sends for a service-account key: a self-signed JWT (google-auth-library 9, storage's major). */
export function jwtOf(account: TestServiceAccount, scopes = [CLOUD_PLATFORM]): JWT {
  const key = JSON.parse(account.keyJson) as { client_email: string; private_key: string; private_key_id: string };
  const jwt = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes });
  // A property in v9 (not a constructor option): without it a scoped JWT asks Google's token endpoint.
  jwt.useJWTAccessWithScope = true;
  return jwt;
}

export function tokenClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
}

/** The real client against the emulator: auth sent to the custom endpoint, no retries (a failure shows at once). */
export function storageOf(emulator: GcsEmulator, authClient: AuthClient, account?: TestServiceAccount): Storage {
  const key = account ? (JSON.parse(account.keyJson) as { client_email: string; private_key: string }) : undefined;
  return new Storage({
    apiEndpoint: emulator.endpoint,
    useAuthWithCustomEndpoint: true,
    authClient,
    // What getSignedUrl reads the signer's email from (it signs with the JWT's key).
    ...(key ? { credentials: { client_email: key.client_email, private_key: key.private_key } } : {}),
    // Not `maxRetries: 0`: the client reads 0 as unset (a falsy check) and retries 3 times.
    retryOptions: { autoRetry: false },
  });
}

/**
 * Opens a resumable session with an authorised POST, as the gcs artifact store does: against a
 * custom endpoint the client's own resumable uploads carry no Authorization header.
 */
export async function openSession(emulator: GcsEmulator, authClient: AuthClient, bucket: string, name: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await authClient.request({
    method: 'POST',
    url: `${emulator.endpoint}/upload/storage/v1/b/${bucket}/o`,
    params: { uploadType: 'resumable', name },
    data: {},
    headers,
  });
  return String(response.headers['location']);
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: unknown; response?: { status?: number } }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error as Error & { code?: unknown };
}
