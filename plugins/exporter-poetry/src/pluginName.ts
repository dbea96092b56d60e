/** The npm package name, used to tag errors with the plugin they came from. */
export const POETRY_EXPORTER_PLUGIN = '@stowage/exporter-poetry';
