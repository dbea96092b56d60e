import { StowageError } from '@stowage/plugin-api';

const NUMERIC = /^\d+$/;

/** The `user[:group]` parts of the `user` setting that are names (numbers need no look-up). */
export function namesToResolve(user: string): { passwd: boolean; group: boolean } {
  const [name, group] = user.split(':') as [string, string | undefined];
  return { passwd: !NUMERIC.test(name), group: group !== undefined && !NUMERIC.test(group) };
}

/**
 * The numeric owner `chown -R <user>` gives the files COPY made (root's): the user's uid, and
 * the group named after `:`, else root's group (chown without a group keeps it). Names are looked
 * up in the dependency image's `/etc/passwd` and `/etc/group`, as chown in that image would.
 */
export function resolveImageOwner(user: string, files: { passwd?: Buffer; group?: Buffer }, image: string): { uid: number; gid: number } {
  const [name, group] = user.split(':') as [string, string | undefined];
  const uid = NUMERIC.test(name) ? Number(name) : idOf(files.passwd, name, 'user', image);
  const gid = group === undefined ? 0 : NUMERIC.test(group) ? Number(group) : idOf(files.group, group, 'group', image);
  return { uid, gid };
}

function idOf(file: Buffer | undefined, name: string, kind: 'user' | 'group', image: string): number {
  const table = kind === 'user' ? '/etc/passwd' : '/etc/group';
  for (const line of (file?.toString('utf8') ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined && NUMERIC.test(fields[2])) return Number(fields[2]);
  }
  throw new StowageError(`the ${kind} "${name}" of the user setting is not in ${table} of ${image}`, {
    code: 'BUILD_FAILED',
    keyPath: 'settings.docker.user',
    hint: `create the ${kind} in the image (e.g. a RUN useradd in the parent image or Dockerfile), or give a numeric id`,
  });
}
