export { default, dockerCliImageBuilder } from './plugin.js';
export { DockerCliBuilderConfigSchema, DockerCliBuilderOptionsSchema, type DockerCliBuilderConfig, type DockerCliBuilderOptions } from './config.js';
export { DockerCliImageBuilder } from './DockerCliImageBuilder.js';
export { dockerBuildFlags, HONOURED_BUILD_OPTIONS } from './dockerBuildFlags.js';
