export { default, pipExporter } from './plugin.js';
export { PipExporter, type PipExporterOptions } from './PipExporter.js';
export { selectPythonInterpreter, STOWAGE_PYTHON_ENV, type PythonInterpreter } from './selectPythonInterpreter.js';
