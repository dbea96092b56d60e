export { default, pipExporter } from './plugin.js';
export { PipExporter, type PipExporterOptions } from './PipExporter.js';
