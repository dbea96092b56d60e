import { resolve } from 'node:path';
import { defineFlavor, definePlugin, PLUGIN_API_VERSION } from '@stowage/core';
import { LocalArtifactStoreConfigSchema } from './config.js';

export const localArtifactStoreFlavor = defineFlavor({
  kind: 'artifact-store',
  flavor: 'local',
  description: 'A folder on this machine',
  config: LocalArtifactStoreConfigSchema,
  // A folder on the client cannot serve code to containers built or run elsewhere.
  capabilities: { reachableFromContainers: false },
  async create(config, ctx) {
    const { LocalArtifactStore } = await import('./LocalArtifactStore.js');
    return new LocalArtifactStore(resolve(ctx.projectRoot, config.path));
  },
});

export default definePlugin({
  name: '@stowage/artifact-store-local',
  apiVersion: PLUGIN_API_VERSION,
  flavors: [localArtifactStoreFlavor],
});
