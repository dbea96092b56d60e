// The SDK modules load on first use (`import()`), never with a plugin's config: `stowage plan` and
// `validate` read config schemas from this package and must not pay for the credential chain.
import type { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { SecretSink } from '@stowage/plugin-api';
import type { AwsCredentialSettings } from './config.js';

/** What the AWS CLI and SDKs fall back to as well when no region is configured anywhere. */
export const DEFAULT_REGION = 'us-east-1';

type CredentialProvider = ReturnType<typeof defaultProvider>;
type StaticCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Config values where given; otherwise the standard AWS chain. */
export function awsCredentials(config: AwsCredentialSettings, secrets: SecretSink): StaticCredentials | CredentialProvider {
  if (!config.access_key_id) return chainCredentials(secrets);
  return { accessKeyId: config.access_key_id, secretAccessKey: config.secret_access_key!, ...(config.session_token ? { sessionToken: config.session_token } : {}) };
}

/**
 * The standard chain (environment, SSO, profiles, web identity, container and instance roles).
 * Credentials it finds are secrets Stowage did not read from its config: registered so no output
 * shows them (a session token also travels in presigned URLs).
 */
function chainCredentials(secrets: SecretSink): CredentialProvider {
  let chain: Promise<CredentialProvider> | undefined;
  return async (options?: Parameters<CredentialProvider>[0]) => {
    chain ??= import('@aws-sdk/credential-provider-node').then((sdk) => sdk.defaultProvider());
    const credentials = await (await chain)(options);
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken) secrets.add(credentials.sessionToken);
    return credentials;
  };
}

/** The SDK's region chain (AWS_REGION, then the profile in ~/.aws), else us-east-1. */
export function regionFromChain(): () => Promise<string> {
  let chain: Promise<() => Promise<string>> | undefined;
  return async () => {
    chain ??= import('@smithy/core/config').then((sdk) => sdk.loadConfig(sdk.NODE_REGION_CONFIG_OPTIONS, sdk.NODE_REGION_CONFIG_FILE_OPTIONS));
    return (await chain)().catch(() => DEFAULT_REGION);
  };
}
