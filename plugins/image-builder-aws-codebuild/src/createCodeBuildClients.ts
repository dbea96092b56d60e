import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsCredentials, regionFromChain } from '@stowage/aws';
import type { SecretSink } from '@stowage/plugin-api';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';

export { DEFAULT_REGION } from '@stowage/aws';

export interface CodeBuildClients {
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  /** Parameter Store, for the temporary parameters of a build; its SDK loads on the first call. */
  ssm(): Promise<SSMClient>;
  /** The region the clients use (ECR's implicit login asks for a password there). */
  region(): Promise<string>;
}

/** The SDK clients of a builder: config values where given, the SDK's own chains otherwise. */
export function createCodeBuildClients(config: AwsCodeBuildImageBuilderConfig, secrets: SecretSink): CodeBuildClients {
  const region = config.region ? () => Promise.resolve(config.region!) : regionFromChain();
  const credentials = awsCredentials(config, secrets);
  const common = { region, credentials };
  let ssm: Promise<SSMClient> | undefined;
  return {
    codebuild: new CodeBuildClient({ ...common, ...(config.endpoint ? { endpoint: config.endpoint } : {}) }),
    logs: new CloudWatchLogsClient({ ...common, ...(config.logs_endpoint ? { endpoint: config.logs_endpoint } : {}) }),
    // Only builds whose registry needs explicit credentials use it: most never load this SDK.
    ssm: () => (ssm ??= import('@aws-sdk/client-ssm').then(({ SSMClient }) => new SSMClient({ ...common, ...(config.ssm_endpoint ? { endpoint: config.ssm_endpoint } : {}) }))),
    region,
  };
}
