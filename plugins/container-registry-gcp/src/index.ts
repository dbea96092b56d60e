export { default, gcpContainerRegistryFlavor } from './plugin.js';
export { GcpContainerRegistryConfigSchema, type GcpContainerRegistryConfig } from './config.js';
export { locateRegistry, type RegistryLocation } from './registryLocation.js';
export { parseGoogleRegistryUri, type GoogleRegistryUri } from './googleRegistryUri.js';
// Types only: the class modules import google-auth-library, which loads in `create()`, never with the package.
export type { GcpContainerRegistry, GcpRegistryOptions } from './GcpContainerRegistry.js';
