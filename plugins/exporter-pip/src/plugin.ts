import { definePlugin, PLUGIN_API_VERSION, type ExporterDefinition } from '@stowage/core';
import { PipExporter } from './PipExporter.js';
import { PIP_EXPORTER_PLUGIN } from './pluginName.js';

/** Exporters are plugin contributions, not stack components: core picks them by name. */
export const pipExporter: ExporterDefinition = {
  name: 'pip',
  create: ({ runner }) => new PipExporter(runner),
};

export default definePlugin({
  name: PIP_EXPORTER_PLUGIN,
  apiVersion: PLUGIN_API_VERSION,
  flavors: [],
  exporters: [pipExporter],
});
