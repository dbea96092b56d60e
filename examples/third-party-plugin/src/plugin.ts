import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { checkBuild } from './checkBuild.js';
import { DockerCliBuilderConfigSchema } from './config.js';
import { HONOURED_BUILD_OPTIONS } from './dockerBuildFlags.js';

export const dockerCliImageBuilder = defineFlavor({
  kind: 'image-builder',
  flavor: 'docker-cli',
  description: 'Builds with the docker CLI (`docker build -`), pushes with `docker push`',
  config: DockerCliBuilderConfigSchema,
  // Other stack components it needs, as data: Stowage injects a lazy handle to the registry.
  deps: { registry: { kind: 'container-registry', optional: true } },
  // Pure, from the config alone: what planning and checksums need.
  describe: (config) => ({
    remote: false,
    capabilities: {
      push: 'separate',
      platforms: [],
      stagesContext: false,
      secrets: false,
      cacheMounts: false,
      buildOptions: HONOURED_BUILD_OPTIONS,
    },
    identity: { docker_binary: config.docker_binary, extra_args: config.extra_args },
  }),
  // Plan-time findings about one planned build (pure).
  check: checkBuild,
  // Loaded on first use only: listing plugins or printing the schema never imports it.
  async create(config, _ctx, deps) {
    const { DockerCliImageBuilder } = await import('./DockerCliImageBuilder.js');
    return new DockerCliImageBuilder(config, deps.registry);
  },
});

export default definePlugin({
  name: '@example/stowage-image-builder-docker-cli',
  apiVersion: 2,
  flavors: [dockerCliImageBuilder],
});
