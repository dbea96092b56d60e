import type { ProcessRunner } from '@stowage/plugin-api';
import type { RegistryCredentials } from './RegistryCredentials.js';
import { findDockerLogin, readDockerConfig } from './DockerConfigFile.js';

export interface CredentialSourceOptions {
  /** `host[:port]` of the registry, normalised (`docker.io` for Docker Hub). */
  registry: string;
  username?: string;
  password?: string;
  /** The Docker config.json to fall back to. */
  dockerConfigFile: string;
  runner: ProcessRunner;
}

/** A credential helper that hangs (e.g. waiting on a locked keychain) must not stall a build. */
const HELPER_TIMEOUT_MS = 30_000;

/**
 * The registry login: the component's own `username`/`password`, else the Docker config file
 * (inline `auths` or a credential helper), else null (anonymous). Values are never logged.
 */
export async function resolveRegistryCredentials(options: CredentialSourceOptions): Promise<RegistryCredentials | null> {
  if (options.username && options.password) return { username: options.username, password: options.password };
  const config = await readDockerConfig(options.dockerConfigFile);
  const login = config && findDockerLogin(config, options.registry);
  if (!login) return null;
  if (login.source === 'inline') return login.credentials;
  return askCredentialHelper(options.runner, login.helper, login.serverUrl);
}

/**
 * Runs `docker-credential-<helper> get` (the docker-credential-helpers protocol: server URL on
 * stdin, JSON on stdout). A missing helper or an unknown server is "no login", as in docker.
 */
export async function askCredentialHelper(runner: ProcessRunner, helper: string, serverUrl: string): Promise<RegistryCredentials | null> {
  let stdout: string;
  try {
    ({ stdout } = await runner.run({ command: [`docker-credential-${helper}`, 'get'], input: serverUrl, timeoutMs: HELPER_TIMEOUT_MS }));
  } catch {
    // Deliberately silent: the helper's stderr may echo what it was asked for.
    return null;
  }
  return credentialsOfHelperOutput(stdout);
}

export function credentialsOfHelperOutput(stdout: string): RegistryCredentials | null {
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    return null;
  }
  const { Username: username, Secret: password } = parsed ?? {};
  // `<token>` marks an OAuth identity (refresh) token, which only docker's own login flow can use.
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password || username === '<token>') return null;
  return { username, password };
}
