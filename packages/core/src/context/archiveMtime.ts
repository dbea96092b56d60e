import { StowageError } from '@stowage/plugin-api';

const WHOLE_SECONDS = /^\d+$/;

/**
 * Seconds since the epoch stamped on every archive entry: the caller's value, else
 * SOURCE_DATE_EPOCH (reproducible-builds.org) when it is a whole number, else 0.
 */
export function archiveMtime(explicit: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (explicit !== undefined) {
    if (!Number.isSafeInteger(explicit) || explicit < 0) {
      throw new StowageError(`The build context mtime ${explicit} is not a whole number of seconds >= 0`, {
        code: 'CONTEXT_INVALID',
        hint: 'pass mtime in whole seconds since the epoch',
      });
    }
    return explicit;
  }
  const fromEnv = env.SOURCE_DATE_EPOCH?.trim();
  return fromEnv !== undefined && WHOLE_SECONDS.test(fromEnv) && Number.isSafeInteger(Number(fromEnv)) ? Number(fromEnv) : 0;
}
