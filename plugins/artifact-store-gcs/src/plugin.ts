import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { GcsArtifactStoreConfigSchema } from './config.js';
import { parseGcsPath } from './gcsPath.js';

export const gcsArtifactStoreFlavor = defineFlavor({
  kind: 'artifact-store',
  flavor: 'gcs',
  description: 'A Google Cloud Storage bucket or a folder of one',
  config: GcsArtifactStoreConfigSchema,
  describe: (config) => {
    const { bucket, prefix, root } = parseGcsPath(config.path);
    // The endpoint is part of the identity: the same bucket name behind another endpoint is another store.
    return { scheme: 'gs', root, reachableFromContainers: true, identity: { bucket, prefix, endpoint: config.endpoint } };
  },
  // ZenML's GCP artifact store: steps read and write their artifacts through gcsfs.
  requirements: { pip: ['gcsfs>=2023.6', 'google-cloud-storage>=2.9.0'] },
  // The Google client loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config, ctx) {
    const { GcsArtifactStore } = await import('./GcsArtifactStore.js');
    return GcsArtifactStore.open(config, ctx.secrets);
  },
});

export default definePlugin({
  name: '@stowage/artifact-store-gcs',
  apiVersion: 2,
  flavors: [gcsArtifactStoreFlavor],
});
