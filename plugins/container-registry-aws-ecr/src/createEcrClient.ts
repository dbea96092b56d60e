import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { awsCredentials } from '@stowage/aws';
import type { SecretSink } from '@stowage/plugin-api';
import type { EcrContainerRegistryConfig } from './config.js';
import { locateRegistry } from './ecrUri.js';

/** The SDK client of a registry: config values where given, the SDK's credential chain otherwise. */
export function createEcrClient(config: EcrContainerRegistryConfig, secrets: SecretSink): ECRClient {
  return new ECRClient(ecrClientConfig(config, secrets));
}

export function ecrClientConfig(config: EcrContainerRegistryConfig, secrets: SecretSink): ECRClientConfig {
  return {
    // The schema guarantees a region: the ECR uri's, or `region` with a loopback uri.
    region: config.region ?? locateRegistry(config.uri)!.region!,
    credentials: awsCredentials(config, secrets),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
}
