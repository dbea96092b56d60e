import { defineFlavor, definePlugin, PLUGIN_API_VERSION } from '@stowage/core';
import { DockerCliBuilderConfigSchema } from './config.js';

export const dockerCliImageBuilder = defineFlavor({
  kind: 'image-builder',
  flavor: 'docker-cli',
  description: 'Builds with the docker CLI (`docker build -`)',
  config: DockerCliBuilderConfigSchema,
  capabilities: { remote: false, push: false },
  // Loaded on first use only: listing plugins or printing the schema never imports it.
  async create(config) {
    const { DockerCliImageBuilder } = await import('./DockerCliImageBuilder.js');
    return new DockerCliImageBuilder(config);
  },
});

export default definePlugin({
  name: '@example/stowage-image-builder-docker-cli',
  apiVersion: PLUGIN_API_VERSION,
  flavors: [dockerCliImageBuilder],
});
