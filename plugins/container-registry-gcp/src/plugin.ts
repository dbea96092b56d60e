import { defineFlavor, definePlugin, StowageError } from '@stowage/plugin-api';
import { GcpContainerRegistryConfigSchema, type GcpContainerRegistryConfig } from './config.js';
import { locateRegistry, type RegistryLocation } from './registryLocation.js';

export const gcpContainerRegistryFlavor = defineFlavor({
  kind: 'container-registry',
  flavor: 'gcp',
  description: 'Google Artifact Registry or Container Registry (gcr.io): logins as oauth2accesstoken with a Google access token',
  config: GcpContainerRegistryConfigSchema,
  // Where images live is the uri (given, or made from project/location/repository): credentials
  // and timeouts only change the way there.
  describe: (config) => {
    const { uri } = registryLocationOf(config);
    return { uri, defaultRepository: config.default_repository, identity: { uri, default_repository: config.default_repository } };
  },
  // google-auth-library loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config, ctx) {
    const { GcpContainerRegistry } = await import('./GcpContainerRegistry.js');
    return GcpContainerRegistry.fromConfig(config, ctx);
  },
});

/** The location of a config the schema accepted (its checks ran `locateRegistry` already). */
function registryLocationOf(config: GcpContainerRegistryConfig): RegistryLocation {
  const located = locateRegistry(config);
  if (located.location) return located.location;
  throw new StowageError(`invalid gcp container registry config: ${located.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { code: 'COMPONENT_CONFIG_INVALID' });
}

export default definePlugin({
  name: '@stowage/container-registry-gcp',
  apiVersion: 2,
  flavors: [gcpContainerRegistryFlavor],
});
