// @stowage/aws: what the AWS plugins share. Imported only from their lazily loaded client modules.
export { awsCredentials, regionFromChain, DEFAULT_REGION, type AwsCredentialSettings } from './awsCredentials.js';
