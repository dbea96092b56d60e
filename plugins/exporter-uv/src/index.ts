export { default, uvExporter } from './plugin.js';
export { UvExporter, uvExportCommand, type UvExporterOptions } from './UvExporter.js';
export { selectPythonInterpreter, STOWAGE_PYTHON_ENV, type PythonInterpreter } from './selectPythonInterpreter.js';
