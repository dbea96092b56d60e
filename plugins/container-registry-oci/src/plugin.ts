import { defineFlavor, definePlugin, PLUGIN_API_VERSION } from '@stowage/core';
import { OciContainerRegistryConfigSchema } from './config.js';

export const ociContainerRegistryFlavor = defineFlavor({
  kind: 'container-registry',
  flavor: 'oci',
  description: 'Any OCI / Docker Registry HTTP API v2 registry (Docker Hub, GHCR, GitLab, Harbor, registry:2)',
  config: OciContainerRegistryConfigSchema,
  async create(config, ctx) {
    const { OciContainerRegistry } = await import('./OciContainerRegistry.js');
    return OciContainerRegistry.fromConfig(config, ctx);
  },
});

export default definePlugin({
  name: '@stowage/container-registry-oci',
  apiVersion: PLUGIN_API_VERSION,
  flavors: [ociContainerRegistryFlavor],
});
