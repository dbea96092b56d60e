import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';
import type { SecretSink } from '@stowage/plugin-api';
import type { S3ArtifactStoreConfig } from './config.js';

/** What the AWS CLI and SDKs fall back to as well when no region is configured anywhere. */
export const DEFAULT_REGION = 'us-east-1';

type CredentialProvider = ReturnType<typeof defaultProvider>;
type ChecksumMode = NonNullable<S3ArtifactStoreConfig['request_checksum_calculation']>;

/** The SDK client of a store: config values where given, the SDK's own chains otherwise. */
export function createS3Client(config: S3ArtifactStoreConfig, secrets: SecretSink): S3Client {
  return new S3Client(s3ClientConfig(config, secrets));
}

export function s3ClientConfig(config: S3ArtifactStoreConfig, secrets: SecretSink): S3ClientConfig {
  return {
    region: config.region ?? regionFromChain(),
    // A region that is only a default may not be the bucket's: S3's redirect names the right one.
    followRegionRedirects: true,
    forcePathStyle: config.force_path_style,
    credentials: config.access_key_id ? staticCredentials(config) : chainCredentials(secrets),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.request_checksum_calculation ? { requestChecksumCalculation: sdkMode(config.request_checksum_calculation) } : {}),
    ...(config.response_checksum_validation ? { responseChecksumValidation: sdkMode(config.response_checksum_validation) } : {}),
  };
}

function sdkMode(mode: ChecksumMode): 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' {
  return mode === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
}

/** The SDK's region chain (AWS_REGION, then the profile in ~/.aws), else us-east-1. */
function regionFromChain(): () => Promise<string> {
  const chain = loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS);
  return () => chain().catch(() => DEFAULT_REGION);
}

function staticCredentials(config: S3ArtifactStoreConfig) {
  return {
    accessKeyId: config.access_key_id!,
    secretAccessKey: config.secret_access_key!,
    ...(config.session_token ? { sessionToken: config.session_token } : {}),
  };
}

/**
 * The standard chain (environment, SSO, profiles, web identity, container and instance roles).
 * Credentials it finds are secrets Stowage did not read from its config: registered so no
 * output shows them (a session token also travels in presigned URLs).
 */
function chainCredentials(secrets: SecretSink): CredentialProvider {
  // The chain the client itself would use without `credentials`.
  const chain = defaultProvider();
  return async (options?: Parameters<CredentialProvider>[0]) => {
    const credentials = await chain(options);
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken) secrets.add(credentials.sessionToken);
    return credentials;
  };
}
