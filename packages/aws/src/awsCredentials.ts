import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import type { SecretSink } from '@stowage/plugin-api';

/** What the AWS CLI and SDKs fall back to as well when no region is configured anywhere. */
export const DEFAULT_REGION = 'us-east-1';

/** The credential keys every AWS plugin's config has. */
export interface AwsCredentialSettings {
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
}

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
  const chain = defaultProvider();
  return async (options?: Parameters<CredentialProvider>[0]) => {
    const credentials = await chain(options);
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken) secrets.add(credentials.sessionToken);
    return credentials;
  };
}

/** The SDK's region chain (AWS_REGION, then the profile in ~/.aws), else us-east-1. */
export function regionFromChain(): () => Promise<string> {
  const chain = loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS);
  return () => chain().catch(() => DEFAULT_REGION);
}
