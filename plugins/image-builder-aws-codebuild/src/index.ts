export { default, awsCodeBuildImageBuilderFlavor } from './plugin.js';
export { AwsCodeBuildImageBuilderConfigSchema, type AwsCodeBuildImageBuilderConfig } from './config.js';
export { credentialIssues } from '@stowage/aws';
export { renderBuildspec, type BuildspecInput } from './renderBuildspec.js';
export { dockerBuildCommand, HONOURED_BUILD_OPTIONS } from './dockerBuildCommand.js';
// A type only: the class module imports the AWS SDK, which loads in `create()`, never with the package.
export type { AwsCodeBuildImageBuilder } from './AwsCodeBuildImageBuilder.js';
