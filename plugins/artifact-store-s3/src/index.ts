export { default, s3ArtifactStoreFlavor } from './plugin.js';
export { S3ArtifactStoreConfigSchema, type S3ArtifactStoreConfig } from './config.js';
export { credentialIssues } from '@stowage/aws';
export { readS3Path, parseS3Path, type S3Location } from './s3Path.js';
// A type only: the class module imports the AWS SDK, which loads in `create()`, never with the package.
export type { S3ArtifactStore, S3StoreTuning } from './S3ArtifactStore.js';
