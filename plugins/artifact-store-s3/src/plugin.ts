import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { S3ArtifactStoreConfigSchema } from './config.js';
import { parseS3Path } from './s3Path.js';

export const s3ArtifactStoreFlavor = defineFlavor({
  kind: 'artifact-store',
  flavor: 's3',
  description: 'An S3 bucket or a folder of one (AWS or an S3-compatible store)',
  config: S3ArtifactStoreConfigSchema,
  describe: (config) => {
    const { bucket, prefix, root } = parseS3Path(config.path);
    // The endpoint is part of the identity: the same bucket name on another store is another store.
    return { scheme: 's3', root, reachableFromContainers: true, identity: { bucket, prefix, endpoint: config.endpoint } };
  },
  // ZenML's s3 integration: steps read and write their artifacts through s3fs.
  requirements: { pip: ['s3fs>=2023.6', 'boto3>=1.28,<2'] },
  // The AWS SDK loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config, ctx) {
    const { S3ArtifactStore } = await import('./S3ArtifactStore.js');
    return S3ArtifactStore.open(config, ctx.secrets);
  },
});

export default definePlugin({
  name: '@stowage/artifact-store-s3',
  apiVersion: 2,
  flavors: [s3ArtifactStoreFlavor],
});
