import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { StowageError } from '@stowage/plugin-api';
import type { RegistryCredentials } from './RegistryCredentials.js';
import { DOCKER_HUB, normalizeRegistryHost } from '@stowage/plugin-api';
import { locateJsonSyntaxError } from './jsonSyntaxError.js';

// Only the keys we read; docker writes many more (psFormat, proxies, …), so stay lenient.
const DockerConfigSchema = z
  .object({
    auths: z
      .record(
        z.string(),
        z.looseObject({ auth: z.string().optional(), username: z.string().optional(), password: z.string().optional() }),
      )
      .optional(),
    credsStore: z.string().optional(),
    credHelpers: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export type DockerConfig = z.output<typeof DockerConfigSchema>;

/** Where the Docker config file says a registry's login is. */
export type DockerLogin =
  | { source: 'inline'; credentials: RegistryCredentials }
  /** Ask `docker-credential-<helper> get` with `serverUrl` on stdin. */
  | { source: 'helper'; helper: string; serverUrl: string };

/** Docker's own rule for which file it reads: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  projectRoot: string,
): string {
  const home = env['HOME'] || homedir();
  if (configured) {
    const expanded = configured === '~' ? home : configured.startsWith('~/') ? join(home, configured.slice(2)) : configured;
    return isAbsolute(expanded) ? expanded : resolve(projectRoot, expanded);
  }
  if (env['DOCKER_CONFIG']) return resolve(env['DOCKER_CONFIG'], 'config.json');
  return join(home, '.docker', 'config.json');
}

/** Reads a Docker config file; a missing file is no login (undefined), a broken one an error. */
export async function readDockerConfig(file: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StowageError(`could not read the Docker config file ${file}: ${(error as Error).message}`, {
      code: 'REGISTRY_FAILED',
      file,
      cause: error,
    });
  }
  return parseDockerConfig(text, file);
}

export function parseDockerConfig(text: string, file: string): DockerConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never JSON.parse's message, nor the error as cause: V8 quotes the source text there, and a
    // hand-edited config file may have a password right where it breaks. Only say where.
    const at = locateJsonSyntaxError(text);
    const where = !at ? '' : at.endOfInput ? ` (it ends early, at line ${at.line}, column ${at.column})` : ` (at line ${at.line}, column ${at.column})`;
    throw new StowageError(`the Docker config file ${file} is not valid JSON${where}`, {
      code: 'REGISTRY_FAILED',
      file,
      ...(at && { line: at.line }),
      hint: 'fix or delete it, then run `docker login` again',
    });
  }
  const parsed = DockerConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new StowageError(`the Docker config file ${file} does not have the shape docker writes (auths, credsStore, credHelpers)`, {
      code: 'REGISTRY_FAILED',
      file,
      hint: 'fix or delete it, then run `docker login` again',
    });
  }
  return parsed.data;
}

/** `https://index.docker.io/v1/`, `http://127.0.0.1:5001`, `ghcr.io` → the registry host they name. */
export function registryOfServerKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return normalizeRegistryHost(withoutScheme.split('/')[0] ?? '');
}

/**
 * The login for `registry` in a Docker config, in docker's order: a per-registry credential
 * helper, then credentials stored inline in `auths`, then the default `credsStore`.
 */
export function findDockerLogin(config: DockerConfig, registry: string): DockerLogin | undefined {
  const keysOf = (record: Record<string, unknown> | undefined) =>
    Object.keys(record ?? {}).filter((key) => registryOfServerKey(key) === registry);
  const helperKey = keysOf(config.credHelpers)[0];
  if (helperKey !== undefined && config.credHelpers?.[helperKey]) {
    return { source: 'helper', helper: config.credHelpers[helperKey], serverUrl: helperKey };
  }
  const authKeys = keysOf(config.auths);
  for (const key of authKeys) {
    const credentials = inlineCredentials(config.auths?.[key]);
    if (credentials) return { source: 'inline', credentials };
  }
  if (config.credsStore) {
    // The helper stores logins under the exact server address `docker login` used.
    return { source: 'helper', helper: config.credsStore, serverUrl: authKeys[0] ?? defaultServerUrl(registry) };
  }
  return undefined;
}

/** The server address `docker login <registry>` records (Docker Hub keeps its historic v1 URL). */
export function defaultServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

function inlineCredentials(entry: { auth?: string; username?: string; password?: string } | undefined): RegistryCredentials | undefined {
  if (!entry) return undefined;
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
