import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { awsCredentials, regionFromChain } from '@stowage/aws';
import type { SecretSink } from '@stowage/plugin-api';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';

export { DEFAULT_REGION } from '@stowage/aws';

export interface CodeBuildClients {
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  /** The region the clients use (ECR's implicit login asks for a password there). */
  region(): Promise<string>;
}

/** Both SDK clients of a builder: config values where given, the SDK's own chains otherwise. */
export function createCodeBuildClients(config: AwsCodeBuildImageBuilderConfig, secrets: SecretSink): CodeBuildClients {
  const region = config.region ? () => Promise.resolve(config.region!) : regionFromChain();
  const credentials = awsCredentials(config, secrets);
  const common = { region, credentials };
  return {
    codebuild: new CodeBuildClient({ ...common, ...(config.endpoint ? { endpoint: config.endpoint } : {}) }),
    logs: new CloudWatchLogsClient({ ...common, ...(config.logs_endpoint ? { endpoint: config.logs_endpoint } : {}) }),
    region,
  };
}
