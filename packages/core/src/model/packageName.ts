/**
 * An npm package name (`name` or `@scope/name`): what `plugins:` may list. A relative or absolute
 * path, a `file:` URL or a subpath is not one, so `stowage plan` never imports a file of the
 * checkout as a plugin — only packages installed in the project's node_modules.
 */
export const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~-]*$/;
