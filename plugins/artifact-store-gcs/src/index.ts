export { default, gcsArtifactStoreFlavor } from './plugin.js';
export { GcsArtifactStoreConfigSchema, type GcsArtifactStoreConfig } from './config.js';
export { readGcsPath, parseGcsPath, type GcsLocation } from './gcsPath.js';
// Types only: these modules import the Google client, which loads in `create()`, never with the package.
export type { GcsArtifactStore, GcsStoreTuning } from './GcsArtifactStore.js';
