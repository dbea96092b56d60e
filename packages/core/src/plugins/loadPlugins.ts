import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigSource } from '../config/ConfigIssue.js';
import { StowageError } from '@stowage/plugin-api';
import { PluginRegistry } from './PluginRegistry.js';
import { PACKAGE_NAME } from '../model/packageName.js';

export interface BuiltinPlugin {
  packageName: string;
  version?: string;
  plugin: unknown;
}

export interface LoadPluginsOptions {
  /** Plugins that ship with the CLI. */
  builtins?: readonly BuiltinPlugin[];
  /** Package names from `plugins:` in stowage.yaml. */
  names?: readonly string[];
  /** The project folder whose node_modules the named plugins are resolved from. */
  projectRoot: string;
  /** Where `plugins:` was written, so errors can name the file and line. */
  source?: ConfigSource;
}

/**
 * Resolves each named plugin from the project's own node_modules (not from Stowage's), imports
 * it, checks brand and apiVersion, and registers it. Every failure names the package.
 */
export async function loadPlugins(options: LoadPluginsOptions): Promise<PluginRegistry> {
  const registry = new PluginRegistry();
  for (const b of options.builtins ?? []) registry.register(b.plugin, { packageName: b.packageName, version: b.version, origin: 'builtin' });
  const builtinNames = new Set((options.builtins ?? []).map((b) => b.packageName));
  for (const [i, name] of (options.names ?? []).entries()) {
    if (builtinNames.has(name)) continue; // already shipped with the CLI
    const where = { file: options.source?.file, keyPath: `plugins[${i}]`, line: options.source?.lineOf?.(['plugins', i]) };
    try {
      const { plugin, version } = await importPlugin(name, options.projectRoot);
      registry.register(plugin, { packageName: name, version, origin: 'project' });
    } catch (error) {
      if (!StowageError.isInstance(error) || error.file) throw error;
      throw new StowageError(error.message, { ...error, ...where, code: error.code, cause: error.cause, details: error.details });
    }
  }
  return registry;
}

async function importPlugin(name: string, projectRoot: string): Promise<{ plugin: unknown; version?: string }> {
  // Before anything is resolved: `./evil.mjs` would import (and run) a file of the checkout.
  if (!PACKAGE_NAME.test(name)) {
    throw new StowageError(`"${name}" is not a package name: plugins are loaded from the project's node_modules, never from a path`, {
      code: 'PLUGIN_INVALID',
      plugin: name,
      hint: 'publish or install the plugin as a package (e.g. a workspace package) and list its name',
    });
  }
  const require = createRequire(join(projectRoot, 'package.json'));
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (cause) {
    throw new StowageError(`plugin ${name} is not installed in ${projectRoot}`, {
      code: 'PLUGIN_NOT_INSTALLED',
      plugin: name,
      cause,
      hint: `run \`npm install ${name}\` (or pnpm add ${name}) in ${projectRoot}, or remove it from plugins:`,
    });
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  } catch (cause) {
    throw new StowageError(`plugin ${name} failed to load: ${(cause as Error).message}`, {
      code: 'PLUGIN_INVALID',
      plugin: name,
      cause,
      hint: `reinstall ${name}; if it persists, report it to the plugin's authors`,
    });
  }
  return { plugin: module.default, version: packageVersion(entry, name) };
}

/** The version in the package.json nearest above the entry file that names this package. */
function packageVersion(entry: string, name: string): string | undefined {
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
  }
  return undefined;
}
