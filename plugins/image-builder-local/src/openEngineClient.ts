import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import type { EngineAddress } from './resolveEngineAddress.js';

/** The part of the `debug` package docker-modem traces through. */
interface DebugRegistry {
  namespaces?: string;
  enabled(namespace: string): boolean;
  enable(namespaces: string): void;
}

/**
 * A dockerode client for the resolved engine, loaded only when something is built, so reuse
 * checks and `stowage plan` never pay for dockerode. The import is dynamic here (not only in the
 * caller): a bundler hoists a static import of an external package to the bundle's top.
 */
export async function openEngineClient(engine: EngineAddress): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  silenceModemTracing();
  return new DockerClient(engine.options);
}

/**
 * docker-modem traces every request under the `modem` debug namespace (`DEBUG=modem`, or
 * `DEBUG=*`) with its headers, which include X-Registry-Auth and X-Registry-Config: the registry
 * password, base64-encoded. Skip that namespace whatever DEBUG says; other namespaces stay on.
 */
export function silenceModemTracing(): void {
  const debug = modemDebugRegistry();
  if (!debug?.enabled('modem')) return;
  debug.enable([debug.namespaces, '-modem'].filter(Boolean).join(','));
}

/** The `debug` instance docker-modem itself resolves (a package manager may install several). */
function modemDebugRegistry(): DebugRegistry | undefined {
  try {
    const fromDockerode = createRequire(createRequire(import.meta.url).resolve('dockerode'));
    const fromModem = createRequire(fromDockerode.resolve('docker-modem'));
    return fromModem('debug') as DebugRegistry;
  } catch {
    // A layout where docker-modem has no resolvable `debug` (bundled) has no tracing to silence.
    return undefined;
  }
}
