import { defineFlavor, definePlugin } from '@stowage/plugin-api';
import { builderOptionFindings } from './builderOptions.js';
import { LocalImageBuilderConfigSchema } from './config.js';
import { HONOURED_BUILD_OPTIONS } from './engineBuildParams.js';

export const localImageBuilderFlavor = defineFlavor({
  kind: 'image-builder',
  flavor: 'local',
  description: 'Builds with the Docker engine on this machine (or DOCKER_HOST); pushes to the stack registry in a separate step',
  config: LocalImageBuilderConfigSchema,
  deps: { registry: { kind: 'container-registry', optional: true } },
  // The one source of what this builder can do. Cache mounts (`RUN --mount=type=cache`) need BuildKit.
  describe: (config) => ({
    remote: false,
    platform: config.platform,
    capabilities: {
      push: 'separate',
      platforms: [],
      stagesContext: false,
      secrets: false,
      // auto may build an image with the classic builder, which has no cache mounts.
      cacheMounts: config.buildkit === true,
      buildOptions: HONOURED_BUILD_OPTIONS,
    },
    identity: { platform: config.platform },
  }),
  check: (_config, build) => builderOptionFindings(build.builderOptions),
  async create(config, ctx, deps) {
    // dockerode (and its gRPC stack for BuildKit sessions) loads only when something is built or
    // pushed: reuse checks ask the engine directly (see inspectImageOverHttp).
    const [{ LocalImageBuilder }, { resolveEngineAddress }] = await Promise.all([
      import('./LocalImageBuilder.js'),
      import('./resolveEngineAddress.js'),
    ]);
    const engine = resolveEngineAddress(config.docker_host, ctx.env);
    const connect = async () => (await import('./openEngineClient.js')).openEngineClient(engine);
    return new LocalImageBuilder(connect, engine, config, deps.registry);
  },
});

export default definePlugin({
  name: '@stowage/image-builder-local',
  apiVersion: 2,
  flavors: [localImageBuilderFlavor],
});
