export { EcrEmulator, ECR_TARGET_PREFIX, TEST_CREDENTIALS, type EcrCall, type EcrEmulatorOptions } from './EcrEmulator.js';
export { EcrRepositories, type EcrRepository } from './EcrRepositories.js';
export { HtpasswdRegistry, type HtpasswdRegistryOptions } from './HtpasswdRegistry.js';
export { verifySigV4, type ReceivedRequest, type SigV4Scope, type TestCredentials } from './verifySigV4.js';
export { AwsJsonError } from './AwsJsonError.js';
