export { default, localArtifactStoreFlavor } from './plugin.js';
export { LocalArtifactStoreConfigSchema, type LocalArtifactStoreConfig } from './config.js';
export { LocalArtifactStore } from './LocalArtifactStore.js';
