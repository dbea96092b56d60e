import { definePlugin, PLUGIN_API_VERSION, type ExporterDefinition } from '@stowage/core';
import { UV_EXPORTER_PLUGIN } from './pluginName.js';
import { UvExporter } from './UvExporter.js';

/** Exporters are plugin contributions, not stack components: core picks them by name. */
export const uvExporter: ExporterDefinition = {
  name: 'uv',
  create: ({ runner }) => new UvExporter(runner),
};

export default definePlugin({
  name: UV_EXPORTER_PLUGIN,
  apiVersion: PLUGIN_API_VERSION,
  flavors: [],
  exporters: [uvExporter],
});
