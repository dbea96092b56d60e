import { StowageError } from '@stowage/plugin-api';
import type { EngineAddress } from './resolveEngineAddress.js';

// Socket errors that mean "nothing usable listens there", as opposed to a build that went wrong.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ETIMEDOUT']);

/** Whether an error from dockerode means the engine could not be reached at all. */
export function isEngineUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

/** ENGINE_UNAVAILABLE naming the address, where it came from, and how to get an engine running. */
export function engineUnavailable(engine: EngineAddress, cause: unknown): StowageError {
  const code = (cause as { code?: string } | null)?.code;
  const from = engine.source === 'default' ? 'the default socket' : engine.source === 'DOCKER_HOST' ? 'DOCKER_HOST' : 'docker_host';
  const why = code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such socket' : (code ?? 'no answer');
  return new StowageError(`No Docker engine answers at ${engine.address} (${from}): ${why}`, {
    code: 'ENGINE_UNAVAILABLE',
    cause,
    hint:
      code === 'EACCES'
        ? 'the engine runs but this user may not use its socket: add the user to the docker group (then log in again) or set DOCKER_HOST to an engine you may use'
        : 'start a Docker engine (`sudo systemctl start docker`, or run `dockerd` as root), or set DOCKER_HOST / the image builder\'s docker_host to a running one; on Debian, as root, `tooling/e2e/scripts/engine.sh up` installs and starts one',
  });
}
