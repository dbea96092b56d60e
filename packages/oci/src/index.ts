// @stowage/oci: the OCI distribution client core and plugins share. Depends on @stowage/plugin-api only.
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
} from '@stowage/plugin-api';
export { parseWwwAuthenticate, pickChallenge, type AuthChallenge } from './AuthChallenge.js';
export { BearerTokenCache } from './BearerTokenAuth.js';
export { basicAuthorization, type RegistryCredentials } from './RegistryCredentials.js';
export type { RegistryAuthSource } from './RegistryAuthorizer.js';
export {
  MANIFEST_ACCEPT,
  MANIFEST_MEDIA_TYPES,
  RegistryApiClient,
  registryBaseUrl,
  type BlobInfo,
  type BlobReadOptions,
  type ManifestProbe,
  type RegistryApiClientOptions,
  type RegistryManifest,
  type RequestOptions,
} from './RegistryApiClient.js';
export { copyImage } from './copyImage.js';
export { appendImage, type AppendImageRequest, type AppendImageResult, type AppendedLayer } from './appendImage.js';
export type { AppendConfigChanges } from './rewriteForAppend.js';
export { readImageFiles, type ReadImageFilesOptions } from './readImageFiles.js';
export { sha256Digest } from './sha256Digest.js';
export {
  defaultServerUrl,
  dockerConfigPath,
  findDockerLogin,
  parseDockerConfig,
  readDockerConfig,
  registryOfServerKey,
  type DockerConfig,
  type DockerLogin,
} from './DockerConfigFile.js';
export { askCredentialHelper, credentialsOfHelperOutput, resolveRegistryCredentials, type CredentialSourceOptions } from './RegistryCredentialSource.js';
