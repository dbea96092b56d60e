import { defineFlavor, definePlugin, PLUGIN_API_VERSION } from '@stowage/core';
import { LocalImageBuilderConfigSchema } from './config.js';
import { localBuilderCapabilities } from './localBuilderCapabilities.js';
import { PLUGIN_NAME } from './pluginName.js';

export const localImageBuilderFlavor = defineFlavor({
  kind: 'image-builder',
  flavor: 'local',
  description: 'Builds with the Docker engine on this machine (or DOCKER_HOST) and pushes to the stack registry',
  config: LocalImageBuilderConfigSchema,
  // Declared statically so listing flavors shows them: those of the default config (no BuildKit,
  // so no cache mounts). A created builder reports the same function's answer for its own config.
  capabilities: localBuilderCapabilities(LocalImageBuilderConfigSchema.parse({}).buildkit),
  async create(config, ctx) {
    // dockerode (and its gRPC stack for BuildKit sessions) loads only when something is built:
    // reuse checks ask the engine directly (see inspectImageOverHttp).
    const [{ LocalImageBuilder }, { resolveEngineAddress }] = await Promise.all([
      import('./LocalImageBuilder.js'),
      import('./resolveEngineAddress.js'),
    ]);
    const engine = resolveEngineAddress(config.docker_host, ctx.env);
    return new LocalImageBuilder(async () => (await import('./openEngineClient.js')).openEngineClient(engine), engine, config);
  },
});

export default definePlugin({
  name: PLUGIN_NAME,
  apiVersion: PLUGIN_API_VERSION,
  flavors: [localImageBuilderFlavor],
});
