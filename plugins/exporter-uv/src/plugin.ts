import { definePlugin, type ExporterDefinition } from '@stowage/plugin-api';
import { UvExporter } from './UvExporter.js';

/** `pyproject_path`, tried first (ZenML's default order: uv, then poetry). */
export const uvExporter: ExporterDefinition = {
  name: 'uv',
  pyproject: { priority: 10 },
  create: ({ runner }) => new UvExporter(runner),
};

export default definePlugin({
  name: '@stowage/exporter-uv',
  apiVersion: 2,
  flavors: [],
  exporters: [uvExporter],
});
