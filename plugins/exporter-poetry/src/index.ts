export { default, poetryExporter } from './plugin.js';
export { PoetryExporter, poetryExportCommand, poetryExportInPlaceCommand, type PoetryExporterOptions } from './PoetryExporter.js';
