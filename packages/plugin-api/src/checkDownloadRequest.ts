import { StowageError } from './errors.js';

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * A download names one commit for good: a full sha, never a branch or an abbreviation. Returns the
 * subdirectory as the spec carries it (`/`-separated, no `./`, no trailing `/`; undefined for the top).
 */
export function checkDownloadRequest(commit: string, subdirectory: string | undefined): string | undefined {
  if (!FULL_COMMIT.test(commit)) {
    throw new StowageError(`cannot download code at "${commit}": a full commit id (40 hex digits) is needed`, { code: 'CODE_UNAVAILABLE' });
  }
  const parts = (subdirectory ?? '').split('/').filter((p) => p !== '' && p !== '.');
  if (subdirectory?.startsWith('/') || parts.includes('..')) {
    throw new StowageError(`source subdirectory "${subdirectory}" is not a folder inside the repository`, { code: 'CODE_UNAVAILABLE' });
  }
  return parts.length ? parts.join('/') : undefined;
}
