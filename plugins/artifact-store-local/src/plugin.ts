import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { LocalArtifactStoreConfigSchema } from './config.js';

export const localArtifactStoreFlavor = defineFlavor({
  kind: 'artifact-store',
  flavor: 'local',
  description: 'A folder on this machine',
  config: LocalArtifactStoreConfigSchema,
  describe: (config, { projectRoot }) => ({
    scheme: 'file',
    root: pathToFileURL(resolve(projectRoot, config.path)).href,
    // A folder on the client cannot serve code to containers built or run elsewhere.
    reachableFromContainers: false,
  }),
  async create(config, ctx) {
    const { LocalArtifactStore } = await import('./LocalArtifactStore.js');
    return new LocalArtifactStore(resolve(ctx.projectRoot, config.path));
  },
});

export default definePlugin({
  name: '@stowage/artifact-store-local',
  apiVersion: 2,
  flavors: [localArtifactStoreFlavor],
});
