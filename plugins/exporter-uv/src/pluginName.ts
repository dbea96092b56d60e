/** The npm package name, used to tag errors with the plugin they came from. */
export const UV_EXPORTER_PLUGIN = '@stowage/exporter-uv';
