import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { checkBuild, CODEBUILD_PLATFORM } from './checkBuild.js';
import { AwsCodeBuildImageBuilderConfigSchema } from './config.js';
import { HONOURED_BUILD_OPTIONS } from './dockerBuildCommand.js';

export const awsCodeBuildImageBuilderFlavor = defineFlavor({
  kind: 'image-builder',
  flavor: 'aws-codebuild',
  description: 'Builds and pushes on AWS CodeBuild from the context staged as a ZIP in the stack’s S3 artifact store',
  config: AwsCodeBuildImageBuilderConfigSchema,
  // ZenML's stack validator: a container registry, and an s3 artifact store CodeBuild reads the context from.
  deps: { registry: { kind: 'container-registry' }, store: { kind: 'artifact-store', flavors: ['s3'] } },
  describe: (config) => ({
    remote: true,
    platform: CODEBUILD_PLATFORM,
    capabilities: {
      push: 'in-build',
      platforms: [CODEBUILD_PLATFORM],
      stagesContext: 'zip',
      // Every secret a build needs reaches CodeBuild as a reference its service role reads
      // (SECRETS_MANAGER, or PARAMETER_STORE for a registry password kept only for the build),
      // never as a PLAINTEXT value; what it cannot keep secret is a warning of check().
      secrets: true,
      cacheMounts: false,
      buildOptions: HONOURED_BUILD_OPTIONS,
    },
    identity: { code_build_project: config.code_build_project, build_image: config.build_image, region: config.region, endpoint: config.endpoint },
  }),
  check: checkBuild,
  // The AWS SDK loads here, on first use: listing plugins or printing the schema never imports it.
  async create(config, ctx, deps) {
    const [{ AwsCodeBuildImageBuilder }, { createCodeBuildClients }] = await Promise.all([import('./AwsCodeBuildImageBuilder.js'), import('./createCodeBuildClients.js')]);
    return new AwsCodeBuildImageBuilder(createCodeBuildClients(config, ctx.secrets), config, deps.registry);
  },
});

export default definePlugin({
  name: '@stowage/image-builder-aws-codebuild',
  apiVersion: 2,
  flavors: [awsCodeBuildImageBuilderFlavor],
});
