import type Docker from 'dockerode';
import { StowageError } from '@stowage/core';
import { PLUGIN_NAME } from './pluginName.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where the Docker engine is, as dockerode connection options plus the address users typed. */
export interface EngineAddress {
  /** e.g. `unix:///var/run/docker.sock`, for messages. */
  readonly address: string;
  /** Where the address came from, for messages. */
  readonly source: 'config' | 'DOCKER_HOST' | 'default';
  readonly options: Docker.DockerOptions;
}

/**
 * The engine to talk to: the `docker_host` key, else `DOCKER_HOST`, else the default socket.
 * Parsed here rather than left to docker-modem, which only reads `process.env` and would ignore
 * the environment the stack was opened with.
 */
export function resolveEngineAddress(
  dockerHost: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): EngineAddress {
  const fromEnv = env['DOCKER_HOST']?.trim();
  if (dockerHost) return { address: dockerHost, source: 'config', options: connectionOptions(dockerHost, 'docker_host') };
  if (fromEnv) return { address: fromEnv, source: 'DOCKER_HOST', options: connectionOptions(fromEnv, 'DOCKER_HOST') };
  return { address: `unix://${DEFAULT_DOCKER_SOCKET}`, source: 'default', options: { socketPath: DEFAULT_DOCKER_SOCKET } };
}

function connectionOptions(address: string, origin: string): Docker.DockerOptions {
  const scheme = /^([a-z]+):\/\//.exec(address)?.[1];
  const rest = address.slice((scheme?.length ?? 0) + 3);
  if (scheme === 'unix') return { socketPath: rest || DEFAULT_DOCKER_SOCKET };
  if (scheme === 'npipe') return { socketPath: rest || '//./pipe/docker_engine' };
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === 'ssh') {
    const url = parseUrl(address, origin);
    // Like the docker CLI: tcp:// means plain HTTP except on the TLS port 2376.
    const protocol = scheme === 'tcp' ? (url.port === '2376' ? 'https' : 'http') : scheme;
    const port = url.port || (protocol === 'https' ? '2376' : protocol === 'ssh' ? '22' : '2375');
    return { protocol, host: url.hostname, port, ...(url.username ? { username: url.username } : {}) };
  }
  throw new StowageError(`${origin} "${address}" is not a Docker engine address`, {
    code: 'COMPONENT_CONFIG_INVALID',
    plugin: PLUGIN_NAME,
    hint: 'use unix:///path/to/docker.sock, tcp://host:2375, https://host:2376 or ssh://user@host',
  });
}

function parseUrl(address: string, origin: string): URL {
  try {
    return new URL(address);
  } catch (error) {
    throw new StowageError(`${origin} "${address}" is not a valid URL`, {
      code: 'COMPONENT_CONFIG_INVALID',
      plugin: PLUGIN_NAME,
      cause: error,
      hint: 'use e.g. tcp://10.0.0.5:2375',
    });
  }
}
