import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { SecretSink } from '@stowage/plugin-api';
import type { EcrContainerRegistryConfig } from './config.js';
import { locateRegistry } from './ecrUri.js';

type CredentialProvider = ReturnType<typeof defaultProvider>;

/** The SDK client of a registry: config values where given, the SDK's credential chain otherwise. */
export function createEcrClient(config: EcrContainerRegistryConfig, secrets: SecretSink): ECRClient {
  return new ECRClient(ecrClientConfig(config, secrets));
}

export function ecrClientConfig(config: EcrContainerRegistryConfig, secrets: SecretSink): ECRClientConfig {
  return {
    // The schema guarantees a region: the ECR uri's, or `region` with a loopback uri.
    region: config.region ?? locateRegistry(config.uri)!.region!,
    credentials: config.access_key_id ? staticCredentials(config) : chainCredentials(secrets),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
}

function staticCredentials(config: EcrContainerRegistryConfig) {
  return {
    accessKeyId: config.access_key_id!,
    secretAccessKey: config.secret_access_key!,
    ...(config.session_token ? { sessionToken: config.session_token } : {}),
  };
}

/**
 * The standard chain (environment, SSO, profiles, web identity, container and instance roles).
 * Credentials it finds are secrets Stowage did not read from its config: registered so no
 * output shows them.
 */
function chainCredentials(secrets: SecretSink): CredentialProvider {
  const chain = defaultProvider();
  return async (options?: Parameters<CredentialProvider>[0]) => {
    const credentials = await chain(options);
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken) secrets.add(credentials.sessionToken);
    return credentials;
  };
}
