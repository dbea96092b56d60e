import { definePlugin, type ExporterDefinition } from '@stowage/plugin-api';
import { PipExporter } from './PipExporter.js';

/** `replicate_local_python_environment: true | pip_freeze`; pip cannot export a pyproject. */
export const pipExporter: ExporterDefinition = {
  name: 'pip',
  environmentMethods: ['pip_freeze'],
  create: ({ runner }) => new PipExporter(runner),
};

export default definePlugin({
  name: '@stowage/exporter-pip',
  apiVersion: 2,
  flavors: [],
  exporters: [pipExporter],
});
