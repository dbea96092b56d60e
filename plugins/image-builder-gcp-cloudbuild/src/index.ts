export { default, gcpCloudBuildImageBuilderFlavor } from './plugin.js';
export { GcpCloudBuildImageBuilderConfigSchema, type GcpCloudBuildImageBuilderConfig } from './config.js';
export { renderBuild, type RenderInput } from './renderBuild.js';
export { literal, type CloudBuildRequest, type CloudBuildStep, type SecretManagerSecret } from './CloudBuildRequest.js';
export { secretManagerLogin, temporarySecretLogin, type RegistryLogin } from './registryLogin.js';
export { dockerBuildArgs, HONOURED_BUILD_OPTIONS } from './dockerBuildArgs.js';
// A type only: the class module imports the Google clients, which load in `create()`, never with the package.
export type { GcpCloudBuildImageBuilder } from './GcpCloudBuildImageBuilder.js';
