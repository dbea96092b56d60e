import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistryAuth } from '@stowage/plugin-api';

/** Where `docker push` sends an image: the registry host, the key docker files its login under, the repository path. */
export interface PushTarget {
  host: string;
  configKey: string;
  repository: string;
}

/**
 * Splits an image name the way docker does: the first component is a registry host if it has a
 * `.` or `:` or is `localhost`, else the image is on Docker Hub (one-component names under
 * `library/`). Written here because this plugin depends on @stowage/plugin-api alone.
 */
export function pushTargetOf(imageName: string): PushTarget {
  const name = imageName.split('@')[0]!.replace(/:[^:/]+$/, '');
  const [first, ...rest] = name.split('/');
  const hasHost = rest.length > 0 && (/[.:]/.test(first!) || first === 'localhost');
  const host = hasHost ? first! : 'docker.io';
  const path = hasHost ? rest.join('/') : name;
  const repository = host === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { host, configKey: host === 'docker.io' ? 'https://index.docker.io/v1/' : host, repository };
}

/** The `auths` entry of a Docker config for one registry answer. */
function authsEntry(auth: RegistryAuth): Record<string, string> | undefined {
  if (auth.type === 'basic') return { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') };
  if (auth.type === 'bearer') return { registrytoken: auth.token };
  return undefined;
}

/**
 * Runs `fn` with a DOCKER_CONFIG holding only the registry's answer, in a private temporary folder
 * that is removed afterwards: credentials reach `docker push` through a file, never argv (which
 * `ps` shows). `ambient` means the user's own `docker login` is used: no folder then.
 */
export async function withPushLogin<T>(auth: RegistryAuth, target: PushTarget, fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  if (auth.type === 'ambient') return fn({});
  const folder = await mkdtemp(join(tmpdir(), 'stowage-docker-config-'));
  try {
    const entry = authsEntry(auth);
    const config = { auths: entry ? { [target.configKey]: entry } : {} };
    await writeFile(join(folder, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    return await fn({ DOCKER_CONFIG: folder });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
