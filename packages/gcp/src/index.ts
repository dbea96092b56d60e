// @stowage/gcp: what the GCP plugins share. No Google library: each plugin builds its own auth client.
export {
  CLOUD_PLATFORM_SCOPE,
  gcpCredentialFields,
  gcpCredentialIssues,
  gcpCredentialSource,
  projectOf,
  type GcpCredentialSettings,
  type GcpCredentialSource,
  type ServiceAccountKey,
} from './config.js';
export { gcpErrorReason } from './errors.js';
