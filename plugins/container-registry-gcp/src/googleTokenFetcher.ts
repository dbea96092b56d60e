import { GoogleAuth, JWT, type AuthClient, type gaxios } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE, gcpErrorReason, type GcpCredentialSource } from '@stowage/gcp';
import { StowageError } from '@stowage/plugin-api';
import { REFRESH_MARGIN_MS, type AccessTokenFetcher, type FetchedToken } from './GoogleAccessToken.js';

export interface GoogleTokenFetcherOptions {
  /** What the registry is, for messages. */
  uri: string;
  /** A project for Application Default Credentials, so they do not go looking for one (gcloud, metadata). */
  project?: string;
  /**
   * Options of google-auth-library's HTTP client (gaxios). Tests point its `fetchImplementation`
   * at a loopback token endpoint: the library's token URL is fixed to Google's.
   */
  transporterOptions?: gaxios.GaxiosOptions;
}

/**
 * Access tokens for the registry password, from google-auth-library 10.5:
 * - `access_token`: that token, as given (its expiry is unknown: the registry refusing it says so);
 * - `service_account_key`: a `JWT` client exchanges a signed assertion for an access token at
 *   Google's OAuth2 token endpoint (what `docker-credential-gcr` and `gcloud` do for a key);
 * - Application Default Credentials: `GoogleAuth.getClient()` then `getAccessToken()`.
 * The library clients refresh REFRESH_MARGIN_MS before expiry, as GoogleAccessToken asks them to.
 */
export function googleTokenFetcher(source: GcpCredentialSource, options: GoogleTokenFetcherOptions): AccessTokenFetcher {
  const clientOptions = { eagerRefreshThresholdMillis: REFRESH_MARGIN_MS, ...(options.transporterOptions ? { transporterOptions: options.transporterOptions } : {}) };
  switch (source.kind) {
    case 'access-token':
      return () => Promise.resolve({ token: source.token });
    case 'service-account': {
      const { client_email: email, private_key: key, private_key_id: keyId } = source.key;
      const client = new JWT({ email, key, ...(keyId ? { keyId } : {}), scopes: [CLOUD_PLATFORM_SCOPE], ...clientOptions });
      return () => tokenOf(client, `the service account ${email}`, options.uri);
    }
    case 'adc': {
      const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], clientOptions, ...(options.project ? { projectId: options.project } : {}) });
      return async () => tokenOf(await clientOf(auth, options.uri), 'Application Default Credentials', options.uri);
    }
  }
}

async function clientOf(auth: GoogleAuth, uri: string): Promise<AuthClient> {
  try {
    return await auth.getClient();
  } catch (error) {
    throw tokenFailure(error, 'Application Default Credentials', uri);
  }
}

async function tokenOf(client: AuthClient, who: string, uri: string): Promise<FetchedToken> {
  let token: string | null | undefined;
  try {
    token = (await client.getAccessToken()).token;
  } catch (error) {
    throw tokenFailure(error, who, uri);
  }
  if (!token) throw new StowageError(`${who} gave no access token for ${uri}`, { code: 'REGISTRY_FAILED', hint: ADC_HINT });
  const expiry = client.credentials.expiry_date;
  return { token, ...(typeof expiry === 'number' ? { expiresAt: new Date(expiry) } : {}) };
}

const ADC_HINT =
  'give the registry credentials: `access_token` or `service_account_key` (as `${VAR}`), or set up Application Default Credentials (`gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS naming a key file)';

function tokenFailure(error: unknown, who: string, uri: string): StowageError {
  if (StowageError.isInstance(error)) return error;
  const reason = gcpErrorReason(error);
  const message = error instanceof Error ? error.message : '';
  const hint = /could not load the default credentials/i.test(message)
    ? ADC_HINT
    : /invalid_grant/.test(message)
      ? 'Google refused the service-account key: it may have been deleted or disabled, or this machine’s clock is off; create a new key (`gcloud iam service-accounts keys create`)'
      : undefined;
  return new StowageError(`could not get a Google access token for ${uri} from ${who}: ${reason}`, { code: 'REGISTRY_FAILED', cause: error, ...(hint ? { hint } : {}) });
}
