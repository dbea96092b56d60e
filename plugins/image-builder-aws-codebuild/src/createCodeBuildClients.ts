import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import type { SecretSink } from '@stowage/plugin-api';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';

/** What the AWS CLI and SDKs fall back to as well when no region is configured anywhere. */
export const DEFAULT_REGION = 'us-east-1';

export interface CodeBuildClients {
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  /** The region the clients use (ECR's implicit login asks for a password there). */
  region(): Promise<string>;
}

type CredentialProvider = ReturnType<typeof defaultProvider>;

/** Both SDK clients of a builder: config values where given, the SDK's own chains otherwise. */
export function createCodeBuildClients(config: AwsCodeBuildImageBuilderConfig, secrets: SecretSink): CodeBuildClients {
  const region = config.region ? () => Promise.resolve(config.region!) : regionFromChain();
  const credentials = config.access_key_id ? staticCredentials(config) : chainCredentials(secrets);
  const common = { region, credentials };
  return {
    codebuild: new CodeBuildClient({ ...common, ...(config.endpoint ? { endpoint: config.endpoint } : {}) }),
    logs: new CloudWatchLogsClient({ ...common, ...(config.logs_endpoint ? { endpoint: config.logs_endpoint } : {}) }),
    region,
  };
}

function regionFromChain(): () => Promise<string> {
  const chain = loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS);
  return () => chain().catch(() => DEFAULT_REGION);
}

function staticCredentials(config: AwsCodeBuildImageBuilderConfig) {
  return { accessKeyId: config.access_key_id!, secretAccessKey: config.secret_access_key!, ...(config.session_token ? { sessionToken: config.session_token } : {}) };
}

/** The standard chain; what it finds is registered as secrets so no output shows them. */
function chainCredentials(secrets: SecretSink): CredentialProvider {
  const chain = defaultProvider();
  return async (options?: Parameters<CredentialProvider>[0]) => {
    const credentials = await chain(options);
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken) secrets.add(credentials.sessionToken);
    return credentials;
  };
}
