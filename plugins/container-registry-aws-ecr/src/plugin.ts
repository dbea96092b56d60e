import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { EcrContainerRegistryConfigSchema } from './config.js';

export const ecrContainerRegistryFlavor = defineFlavor({
  kind: 'container-registry',
  flavor: 'aws-ecr',
  description: 'Amazon ECR: logins from GetAuthorizationToken, repositories created on first push',
  config: EcrContainerRegistryConfigSchema,
  // Where images live is the uri: endpoints and credentials only change the way there.
  describe: (config) => ({
    uri: config.uri,
    defaultRepository: config.default_repository,
    identity: { uri: config.uri, default_repository: config.default_repository },
  }),
  // The AWS SDK loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config, ctx) {
    const { EcrContainerRegistry } = await import('./EcrContainerRegistry.js');
    return EcrContainerRegistry.fromConfig(config, ctx);
  },
});

export default definePlugin({
  name: '@stowage/container-registry-aws-ecr',
  apiVersion: 2,
  flavors: [ecrContainerRegistryFlavor],
});
