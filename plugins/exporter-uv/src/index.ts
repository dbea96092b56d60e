export { default, uvExporter } from './plugin.js';
export { UvExporter, uvExportCommand, type UvExporterOptions } from './UvExporter.js';
