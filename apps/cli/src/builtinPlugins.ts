import { createRequire } from 'node:module';
import type { BuiltinPlugin } from '@stowage/core';
import artifactStoreLocal from '@stowage/artifact-store-local';
import containerRegistryOci from '@stowage/container-registry-oci';
import exporterPip from '@stowage/exporter-pip';
import exporterPoetry from '@stowage/exporter-poetry';
import exporterUv from '@stowage/exporter-uv';
import imageBuilderLocal from '@stowage/image-builder-local';

const require = createRequire(import.meta.url);

function version(packageName: string): string | undefined {
  try {
    return (require(`${packageName}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Plugins that ship with the CLI: the local builder and artifact store (the default stack), the
 * generic OCI registry, and the three requirement exporters. Cloud plugins are installed per
 * project and named in plugins:. Importing these loads no SDK (their create() does, lazily).
 */
export function builtinPlugins(): BuiltinPlugin[] {
  const all: [string, unknown][] = [
    ['@stowage/image-builder-local', imageBuilderLocal],
    ['@stowage/artifact-store-local', artifactStoreLocal],
    ['@stowage/container-registry-oci', containerRegistryOci],
    ['@stowage/exporter-pip', exporterPip],
    ['@stowage/exporter-uv', exporterUv],
    ['@stowage/exporter-poetry', exporterPoetry],
  ];
  return all.map(([packageName, plugin]) => ({ packageName, plugin, version: version(packageName) }));
}

export function cliVersion(): string {
  return version('@stowage/cli') ?? '0.0.0';
}
