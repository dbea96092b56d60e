// @stowage/plugin-api: everything a plugin package depends on. @stowage/core is the runtime.
export { StowageError, toStowageError, type StowageErrorCode, type StowageErrorOptions } from './errors.js';
export { WarningList, formatWarning, type Warning, type Finding } from './findings.js';
export { secret, isSecretSchema } from './secret.js';
export type { ImageRef, ImagePresence } from './ImageRef.js';
export { BUILD_OPTION_FIELDS, type BuildOptions, type BuildOptionField } from './BuildOptions.js';
export {
  PLUGIN_API_VERSION,
  COMPONENT_KINDS,
  defineFlavor,
  definePlugin,
  isFlavor,
  isPlugin,
  type ComponentKind,
  type ComponentByKind,
  type DescriptionByKind,
  type DependencySpec,
  type DependencyHandle,
  type DescribeContext,
  type ExporterContext,
  type ExporterDefinition,
  type FlavorContext,
  type FlavorDefinition,
  type FlavorRequirements,
  type PluginDefinition,
  type SecretSink,
  type StowageFlavor,
  type StowagePlugin,
} from './definePlugin.js';
export type * from './contracts/ImageBuilder.js';
export type * from './contracts/ContainerRegistry.js';
export type * from './contracts/ArtifactStore.js';
export type * from './contracts/CodeRepository.js';
export type * from './contracts/RequirementsExporter.js';
export type * from './contracts/ProcessRunner.js';
// The one image-reference parser (pure; @stowage/oci re-exports it with the distribution client).
export {
  DOCKER_HUB,
  REPOSITORY_PATTERN,
  formatImageReference,
  isLoopbackRegistry,
  manifestReferenceOf,
  normalizeRegistryHost,
  parseImageReference,
  parseRegistryUri,
  registryApiHost,
  repositoryOf,
  withDigest,
} from './imageReference.js';
// Helpers code-repository plugins share (git remote URLs, download requests).
export { parseGitRemote, isOnHost, type GitRemote } from './gitRemote.js';
export { checkDownloadRequest } from './checkDownloadRequest.js';
export { expectSize } from './expectSize.js';
export { looksLikeCredential } from './credentialNames.js';
export { selectPythonInterpreter, STOWAGE_PYTHON_ENV, type PythonInterpreter } from './selectPythonInterpreter.js';
export { DOCKER_CLI_BUILD_OPTIONS, dockerBuildFlags } from './dockerBuildFlags.js';
