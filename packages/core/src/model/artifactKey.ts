import { StowageError } from '@stowage/plugin-api';

const SEGMENT = /^[A-Za-z0-9._@+=-]+$/;

/**
 * Artifact-store keys are validated once, here, before any store sees them: relative,
 * `/`-separated, no empty, `.` or `..` segments, no backslashes or control characters, at most
 * 1024 characters. A list prefix may also be empty or end with `/`.
 */
export function assertArtifactKey(key: unknown, what: 'key' | 'prefix' = 'key'): string {
  const text = typeof key === 'string' ? key : '';
  const body = what === 'prefix' ? text.replace(/\/$/, '') : text;
  const ok = typeof key === 'string' && key.length <= 1024 && (what === 'prefix' && body === '' ? true : body.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..'));
  if (!ok) {
    throw new StowageError(`"${String(key).slice(0, 200)}" is not a valid artifact store ${what}`, {
      code: 'USAGE',
      hint: 'keys are relative paths of [A-Za-z0-9._@+=-] segments separated by `/`, without `.` or `..`',
    });
  }
  return text;
}
