import { definePlugin, PLUGIN_API_VERSION, type ExporterDefinition } from '@stowage/core';
import { POETRY_EXPORTER_PLUGIN } from './pluginName.js';
import { PoetryExporter } from './PoetryExporter.js';

/** Exporters are plugin contributions, not stack components: core picks them by name. */
export const poetryExporter: ExporterDefinition = {
  name: 'poetry',
  create: ({ runner }) => new PoetryExporter(runner),
};

export default definePlugin({
  name: POETRY_EXPORTER_PLUGIN,
  apiVersion: PLUGIN_API_VERSION,
  flavors: [],
  exporters: [poetryExporter],
});
