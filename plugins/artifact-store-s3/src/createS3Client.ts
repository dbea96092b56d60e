import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { awsCredentials, regionFromChain } from '@stowage/aws';
import type { SecretSink } from '@stowage/plugin-api';
import type { S3ArtifactStoreConfig } from './config.js';

export { DEFAULT_REGION } from '@stowage/aws';

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
    credentials: awsCredentials(config, secrets),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.request_checksum_calculation ? { requestChecksumCalculation: sdkMode(config.request_checksum_calculation) } : {}),
    ...(config.response_checksum_validation ? { responseChecksumValidation: sdkMode(config.response_checksum_validation) } : {}),
  };
}

function sdkMode(mode: ChecksumMode): 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' {
  return mode === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
}
