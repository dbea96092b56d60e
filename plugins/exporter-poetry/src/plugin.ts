import { definePlugin, type ExporterDefinition } from '@stowage/plugin-api';
import { PoetryExporter } from './PoetryExporter.js';

/** `pyproject_path` after uv (ZenML's default order), and `replicate_local_python_environment: poetry_export`. */
export const poetryExporter: ExporterDefinition = {
  name: 'poetry',
  pyproject: { priority: 20 },
  environmentMethods: ['poetry_export'],
  create: ({ runner }) => new PoetryExporter(runner),
};

export default definePlugin({
  name: '@stowage/exporter-poetry',
  apiVersion: 2,
  flavors: [],
  exporters: [poetryExporter],
});
