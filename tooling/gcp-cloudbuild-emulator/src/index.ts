// @stowage/gcp-cloudbuild-emulator: Cloud Build REST v1 for tests, loopback only.
export { CloudBuildEmulator, projectNumberOf, type CloudBuildEmulatorOptions } from './CloudBuildEmulator.js';
export type { EmulatedBuild, RegistryLogin } from './EmulatedBuild.js';
export type { GcsEndpoint } from './GcsAccess.js';
export type { ReceivedCall } from './GoogleRestServer.js';
export type { BuildStatus } from './BuildState.js';
export { DOCKER_BUILDER } from './runBuildStep.js';
export { consoleLogUrl } from './buildResource.js';
export { tarGzContext, type ContextFile } from './tarGzContext.js';
export type { SecretManager, SecretPermission, SecretRead } from './SecretManager.js';
export type { SecretManagerSecret } from './BuildSecrets.js';
