export { default, localImageBuilderFlavor } from './plugin.js';
export { LocalImageBuilderConfigSchema, type LocalImageBuilderConfig } from './config.js';
export { LocalBuilderOptionsSchema, type LocalBuilderOptions } from './builderOptions.js';
export { LocalImageBuilder } from './LocalImageBuilder.js';
export { engineBuildParams, HONOURED_BUILD_OPTIONS } from './engineBuildParams.js';
export { parseBuildStep } from './BuildTranscript.js';
export { resolveEngineAddress, type EngineAddress, type EngineConnectionOptions } from './resolveEngineAddress.js';
