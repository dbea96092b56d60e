// @stowage/aws: what the AWS plugins share. Light to import: the SDK modules it uses load on first use.
export { awsCredentials, regionFromChain, DEFAULT_REGION } from './awsCredentials.js';
export { awsCredentialFields, credentialIssues, type AwsCredentialSettings } from './config.js';
export { sdkErrorReason, sdkErrorShape, type SdkErrorShape } from './sdkError.js';
