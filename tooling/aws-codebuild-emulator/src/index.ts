// @stowage/aws-codebuild-emulator: CodeBuild + CloudWatch Logs + SSM Parameter Store + Secrets Manager for tests, loopback only.
export { CodeBuildEmulator, TEST_CREDENTIALS, TEST_ACCOUNT, type CodeBuildEmulatorOptions } from './CodeBuildEmulator.js';
export { S3Bed, S3RVER_CREDENTIALS } from './S3Bed.js';
export { verifySigV4, type TestCredentials, type AwsJsonError, type SignedRequest } from './verifySigV4.js';
export { parseBuildspec, type Buildspec } from './Buildspec.js';
export { zipContext, type ContextFile } from './zipContext.js';
export type { ReceivedCall } from './AwsJsonServer.js';
export type { S3SourceEndpoint } from './S3Source.js';
export type { ParameterStore } from './ParameterStore.js';
export type { SecretStore } from './SecretStore.js';
export { parseSecretReference, type EnvironmentVariable, type VariableType } from './resolveVariables.js';
