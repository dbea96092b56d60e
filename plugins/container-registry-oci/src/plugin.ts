import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { OciContainerRegistryConfigSchema } from './config.js';

export const ociContainerRegistryFlavor = defineFlavor({
  kind: 'container-registry',
  flavor: 'oci',
  description: 'Any OCI / Docker Registry HTTP API v2 registry (Docker Hub, GHCR, GitLab, Harbor, registry:2)',
  config: OciContainerRegistryConfigSchema,
  describe: (config) => ({
    uri: config.uri,
    defaultRepository: config.default_repository,
    identity: { uri: config.uri, default_repository: config.default_repository },
    insecure: config.insecure,
  }),
  async create(config, ctx) {
    const { OciContainerRegistry } = await import('./OciContainerRegistry.js');
    return OciContainerRegistry.fromConfig(config, ctx);
  },
});

export default definePlugin({
  name: '@stowage/container-registry-oci',
  apiVersion: 2,
  flavors: [ociContainerRegistryFlavor],
});
