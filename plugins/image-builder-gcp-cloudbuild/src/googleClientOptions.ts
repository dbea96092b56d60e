import { GoogleAuth, type JWT, type OAuth2Client } from 'google-auth-library';

/**
 * The options of a google-gax client (Cloud Build, Secret Manager) over REST: `endpoint` as
 * protocol, host and port (Google's own endpoint when unset), and the injected credentials —
 * google-gax takes an AuthClient as `authClient`, Application Default Credentials as `auth` —
 * so the client never looks for credentials (or a metadata server) itself.
 */
export function googleClientOptions(endpoint: string | undefined, auth: OAuth2Client | JWT | GoogleAuth) {
  const credentials = auth instanceof GoogleAuth ? { auth } : { authClient: auth };
  if (!endpoint) return { fallback: true as const, ...credentials };
  const url = new URL(endpoint);
  const protocol = url.protocol.replace(':', '');
  return { fallback: true as const, protocol, apiEndpoint: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), ...credentials };
}
