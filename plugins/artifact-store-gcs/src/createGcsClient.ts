import { Storage } from '@google-cloud/storage';
import { GoogleAuth, JWT, OAuth2Client, type AuthClient } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE, gcpCredentialSource, projectOf, type GcpCredentialSource } from '@stowage/gcp';
import type { SecretSink } from '@stowage/plugin-api';
import type { GcsArtifactStoreConfig } from './config.js';

/** The client of a store: the Storage object, the auth client behind it, and who signs URLs (if anyone can). */
export interface GcsClient {
  storage: Storage;
  authClient: AuthClient;
  /** The service account whose private key signs URLs; absent for an access token or keyless ADC. */
  signer?: string;
}

interface Credentials {
  authClient: AuthClient;
  key?: { email: string; privateKey: string };
}

/**
 * A self-signed JWT bearer (no exchange at Google's token endpoint; Google's APIs accept it). In
 * google-auth-library 9 `useJWTAccessWithScope` is a property, not a constructor option.
 */
function selfSignedJwt(email: string, key: string, keyId?: string): JWT {
  const jwt = new JWT({ email, key, ...(keyId ? { keyId } : {}), scopes: [CLOUD_PLATFORM_SCOPE] });
  jwt.useJWTAccessWithScope = true;
  return jwt;
}

/**
 * Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the metadata
 * server on Google Cloud). A service-account key file gives a self-signed JWT that can also sign
 * URLs; tokens ADC fetches (user credentials, the metadata server) are registered as secrets.
 */
async function applicationDefault(secrets: SecretSink, projectId: string | undefined): Promise<Credentials> {
  // Object requests name no project. Without one, ADC would look for it (gcloud, the metadata
  // server): `-`, Google's "any project", stops that search when the config names none.
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], projectId: projectId ?? '-' });
  auth.useJWTAccessWithScope = true;
  const authClient = await auth.getClient();
  authClient.on('tokens', (tokens: { access_token?: string | null }) => {
    if (tokens.access_token) secrets.add(tokens.access_token);
  });
  if (authClient instanceof JWT && authClient.email && authClient.key) return { authClient, key: { email: authClient.email, privateKey: authClient.key } };
  return { authClient };
}

/** The auth client, built from this plugin's own google-auth-library (storage's major: a client of another major sends no token). */
async function credentialsOf(source: GcpCredentialSource, secrets: SecretSink, projectId: string | undefined): Promise<Credentials> {
  if (source.kind === 'access-token') {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: source.token });
    return { authClient };
  }
  if (source.kind === 'service-account') {
    const { client_email: email, private_key: privateKey, private_key_id: keyId } = source.key;
    return { authClient: selfSignedJwt(email, privateKey, keyId), key: { email, privateKey } };
  }
  return applicationDefault(secrets, projectId);
}

/**
 * The Storage client of a store. The auth client is always injected, so the client never looks
 * for credentials itself (nor probes the metadata server); with an `endpoint`, it is told to send
 * them there too (`useAuthWithCustomEndpoint`).
 */
export async function createGcsClient(config: GcsArtifactStoreConfig, secrets: SecretSink, maxRetries?: number): Promise<GcsClient> {
  const source = gcpCredentialSource(config);
  const projectId = projectOf(config, source);
  const { authClient, key } = await credentialsOf(source, secrets, projectId);
  const storage = new Storage({
    authClient,
    // getSignedUrl reads the signer's email from here (it signs with the JWT's key, locally).
    ...(key ? { credentials: { client_email: key.email, private_key: key.privateKey } } : {}),
    ...(projectId ? { projectId } : {}),
    ...(config.endpoint ? { apiEndpoint: config.endpoint, useAuthWithCustomEndpoint: true } : {}),
    // The client reads `maxRetries: 0` as "unset" (a falsy check) and retries 3 times: 0 is `autoRetry: false`.
    ...(maxRetries === 0 ? { retryOptions: { autoRetry: false } } : maxRetries !== undefined ? { retryOptions: { maxRetries } } : {}),
  });
  return { storage, authClient, ...(key ? { signer: key.email } : {}) };
}
