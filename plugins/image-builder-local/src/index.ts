export { default, localImageBuilderFlavor } from './plugin.js';
export { LocalImageBuilderConfigSchema, type LocalImageBuilderConfig } from './config.js';
export { LocalImageBuilder } from './LocalImageBuilder.js';
export { localBuilderCapabilities } from './localBuilderCapabilities.js';
export { mapBuildOptions, SUPPORTED_BUILD_OPTIONS, type EngineBuildParams } from './mapBuildOptions.js';
export { parseBuildStep } from './BuildTranscript.js';
export { resolveEngineAddress, type EngineAddress, type EngineConnectionOptions } from './resolveEngineAddress.js';
