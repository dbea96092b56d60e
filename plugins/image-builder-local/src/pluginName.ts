/** The npm package name, put on every error this plugin raises. */
export const PLUGIN_NAME = '@stowage/image-builder-local';
