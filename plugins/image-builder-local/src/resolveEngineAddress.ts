import type Docker from 'dockerode';
import { StowageError } from '@stowage/plugin-api';
import { engineTlsFiles, tlsVerifyRequested } from './engineTlsFiles.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

type Env = Readonly<Record<string, string | undefined>>;

/** dockerode connection options; `pathPrefix` is a docker-modem option @types/dockerode lacks. */
export interface EngineConnectionOptions extends Docker.DockerOptions {
  pathPrefix?: string | undefined;
}

/** Where the Docker engine is, as dockerode connection options plus the address users typed. */
export interface EngineAddress {
  /** e.g. `unix:///var/run/docker.sock`, for messages. */
  readonly address: string;
  /** Where the address came from, for messages. */
  readonly source: 'config' | 'DOCKER_HOST' | 'default';
  readonly options: EngineConnectionOptions;
}

/**
 * Every option docker-modem fills from `process.env` (DOCKER_HOST, DOCKER_TLS_VERIFY,
 * DOCKER_CERT_PATH, DOCKER_PATH_PREFIX, DOCKER_CLIENT_TIMEOUT, SSH_AUTH_SOCK) for keys the caller
 * leaves out. It merges with Object.assign, which copies `undefined` too, so spelling each key out
 * keeps the shell's environment from redirecting a resolved address (a `host` from
 * `DOCKER_HOST=tcp://…` beats a `socketPath`). `timeout` stays unset: a socket idle timeout would
 * cut off long quiet build steps; `timeout_seconds` bounds builds instead.
 */
export const MODEM_ENV_OPTIONS = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: undefined,
  username: undefined,
  pathPrefix: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  sshOptions: undefined,
  timeout: undefined,
} as const satisfies EngineConnectionOptions;

/**
 * The engine to talk to: the `docker_host` key, else `DOCKER_HOST`, else the default socket.
 * Parsed here rather than left to docker-modem, which only reads `process.env` and would ignore
 * the environment the stack was opened with.
 */
export function resolveEngineAddress(dockerHost: string | undefined, env: Env): EngineAddress {
  const fromEnv = env['DOCKER_HOST']?.trim();
  if (dockerHost) return { address: dockerHost, source: 'config', options: connectionOptions(dockerHost, 'docker_host', env) };
  if (fromEnv) return { address: fromEnv, source: 'DOCKER_HOST', options: connectionOptions(fromEnv, 'DOCKER_HOST', env) };
  return { address: `unix://${DEFAULT_DOCKER_SOCKET}`, source: 'default', options: { ...MODEM_ENV_OPTIONS, socketPath: DEFAULT_DOCKER_SOCKET } };
}

function connectionOptions(address: string, origin: string, env: Env): EngineConnectionOptions {
  const scheme = /^([a-z]+):\/\//.exec(address)?.[1];
  const rest = address.slice((scheme?.length ?? 0) + 3);
  if (scheme === 'unix') return { ...MODEM_ENV_OPTIONS, socketPath: rest || DEFAULT_DOCKER_SOCKET };
  if (scheme === 'npipe') return { ...MODEM_ENV_OPTIONS, socketPath: rest || '//./pipe/docker_engine' };
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === 'ssh') {
    const url = parseUrl(address, origin);
    // Like the docker CLI: tcp:// means plain HTTP unless DOCKER_TLS_VERIFY is set or the port is TLS's 2376.
    const tls = url.port === '2376' || tlsVerifyRequested(env);
    const protocol = scheme === 'tcp' ? (tls ? 'https' : 'http') : scheme;
    const port = url.port || (protocol === 'https' ? '2376' : protocol === 'ssh' ? '22' : '2375');
    const options: EngineConnectionOptions = { ...MODEM_ENV_OPTIONS, protocol, host: url.hostname, port, pathPrefix: '/' };
    if (protocol === 'https') return { ...options, ...engineTlsFiles(env) };
    if (protocol === 'ssh') {
      // docker-modem logs in over ssh with an agent: the stack's, like the address. (Only when the
      // shell's own DOCKER_HOST is ssh:// too does docker-modem let the shell's agent win.)
      return { ...options, ...(url.username ? { username: url.username } : {}), sshOptions: { agent: env['SSH_AUTH_SOCK'] } };
    }
    return options;
  }
  throw new StowageError(`${origin} "${address}" is not a Docker engine address`, {
    code: 'COMPONENT_CONFIG_INVALID',
    hint: 'use unix:///path/to/docker.sock, tcp://host:2375, https://host:2376 or ssh://user@host',
  });
}

function parseUrl(address: string, origin: string): URL {
  try {
    return new URL(address);
  } catch (error) {
    throw new StowageError(`${origin} "${address}" is not a valid URL`, {
      code: 'COMPONENT_CONFIG_INVALID',
      cause: error,
      hint: 'use e.g. tcp://10.0.0.5:2375',
    });
  }
}
