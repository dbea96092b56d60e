import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { checkBuild, CLOUD_BUILD_PLATFORM } from './checkBuild.js';
import { GcpCloudBuildImageBuilderConfigSchema } from './config.js';
import { HONOURED_BUILD_OPTIONS } from './dockerBuildArgs.js';

export const gcpCloudBuildImageBuilderFlavor = defineFlavor({
  kind: 'image-builder',
  flavor: 'gcp-cloudbuild',
  description: 'Builds and pushes on Google Cloud Build from the context staged as a tar.gz in the stack’s GCS artifact store',
  config: GcpCloudBuildImageBuilderConfigSchema,
  // ZenML's stack validator: a container registry, and a gcs artifact store Cloud Build reads the context from.
  deps: { registry: { kind: 'container-registry' }, store: { kind: 'artifact-store', flavors: ['gcs'] } },
  describe: (config) => ({
    remote: true,
    platform: CLOUD_BUILD_PLATFORM,
    capabilities: {
      push: 'in-build',
      platforms: [CLOUD_BUILD_PLATFORM],
      stagesContext: 'tar.gz',
      // Every secret a build needs reaches Cloud Build as a Secret Manager version it reads itself
      // (availableSecrets + secretEnv): the user's, or a temporary one deleted when the build ends;
      // never as a value. What it cannot keep secret (credential-looking build args) is a warning of check().
      secrets: true,
      cacheMounts: false,
      buildOptions: HONOURED_BUILD_OPTIONS,
    },
    identity: { cloud_builder_image: config.cloud_builder_image, network: config.network, project: config.project, location: config.location, endpoint: config.endpoint },
  }),
  check: checkBuild,
  // The Google client libraries load here, on first use: listing plugins or printing the schema never imports them.
  async create(config, _ctx, deps) {
    const [{ GcpCloudBuildImageBuilder }, { CloudBuildApi }] = await Promise.all([import('./GcpCloudBuildImageBuilder.js'), import('./CloudBuildApi.js')]);
    return new GcpCloudBuildImageBuilder(new CloudBuildApi(config), config, deps.registry);
  },
});

export default definePlugin({
  name: '@stowage/image-builder-gcp-cloudbuild',
  apiVersion: 2,
  flavors: [gcpCloudBuildImageBuilderFlavor],
});
