export { default, dockerCliImageBuilder } from './plugin.js';
export { DockerCliBuilderConfigSchema, type DockerCliBuilderConfig } from './config.js';
export { DockerCliImageBuilder, buildFlags } from './DockerCliImageBuilder.js';
