export { default, ociContainerRegistryFlavor } from './plugin.js';
export { OciContainerRegistryConfigSchema, type OciContainerRegistryConfig } from './config.js';
export { OciContainerRegistry, type OciContainerRegistryOptions } from './OciContainerRegistry.js';
