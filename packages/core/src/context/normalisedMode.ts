import type { ContextEntryType } from './ContextSelection.js';

/**
 * The mode an entry gets in the archive and in `sourceDigest`: umask, group and setuid bits differ
 * between machines and must not change the digest, while "is it executable" must.
 */
export function normalisedMode(type: ContextEntryType, mode: number): number {
  if (type === 'directory') return 0o755;
  if (type === 'symlink') return 0o777;
  return (mode & 0o111) !== 0 ? 0o755 : 0o644;
}
