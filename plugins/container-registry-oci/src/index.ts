export { default, ociContainerRegistryFlavor } from './plugin.js';
export { OciContainerRegistryConfigSchema, type OciContainerRegistryConfig } from './config.js';
export { OciContainerRegistry, type OciContainerRegistryOptions } from './OciContainerRegistry.js';
export { parseImageReference, type ImageReference } from './ImageReference.js';
export { BearerTokenCache } from './BearerTokenAuth.js';
