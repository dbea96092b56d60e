export { default, ecrContainerRegistryFlavor } from './plugin.js';
export { EcrContainerRegistryConfigSchema, regionIssues, type EcrContainerRegistryConfig } from './config.js';
export { credentialIssues } from '@stowage/aws';
export { parseEcrUri, type EcrUri } from './ecrUri.js';
// Types only: the class modules import the AWS SDK, which loads in `create()`, never with the package.
export type { EcrContainerRegistry, EcrRegistryOptions } from './EcrContainerRegistry.js';
