import { StowageError } from '@stowage/plugin-api';

/** What the build store was doing when the file system said no (`cannot save the build record`). */
export interface StoreAction {
  /** `save the build record`, `delete build 1234`, `read the build records`. */
  doing: string;
  /** The store's folder (`<project>/.stowage/builds`). */
  dir: string;
  /** Whether a build had been made (its images exist, but nothing was recorded). */
  afterBuild?: boolean;
}

// Why each errno stops the store, and what to do about it. Not bad input (exit 2): the machine's
// state is at fault, as with a failed build (exit 1).
const REASONS: Readonly<Record<string, { why: string; hint: string }>> = {
  ENOSPC: { why: 'no space is left on the device', hint: 'free some disk space (`df -h {dir}`) and run it again' },
  EDQUOT: { why: 'the disk quota is used up', hint: 'free some space within your quota and run it again' },
  EROFS: { why: 'the file system is read-only', hint: 'run it where the project folder is writable, or remount it read-write' },
  EACCES: { why: 'permission denied', hint: 'make {dir} writable for this user (`ls -ld {dir}`), or run as its owner' },
  EPERM: { why: 'the operation is not permitted', hint: 'make {dir} writable for this user (`ls -ld {dir}`), or run as its owner' },
  ENOTDIR: { why: 'a part of that path is a file, not a folder', hint: 'move the file named .stowage (or .stowage/builds) out of the way: Stowage keeps its build records in the folder .stowage/builds/' },
  EEXIST: { why: 'a part of that path is a file, not a folder', hint: 'move the file named .stowage (or .stowage/builds) out of the way: Stowage keeps its build records in the folder .stowage/builds/' },
  EISDIR: { why: 'a folder is where a file should be', hint: 'move that folder out of {dir}' },
  EMFILE: { why: 'this process has too many open files', hint: 'raise the open-file limit (`ulimit -n`) and run it again' },
  EIO: { why: 'the device reported an I/O error', hint: 'check the disk holding {dir}' },
};

/** Whether a file-system error is one the store explains (rather than a bug to report). */
export function isStoreEnvironmentError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in REASONS;
}

/**
 * A file-system failure of the build store as a StowageError that says what could not be done,
 * why (the errno in words), and what to do — instead of "unexpected failure". A StowageError
 * and an unknown errno are returned as they are.
 */
export function storeFailure(error: unknown, action: StoreAction): unknown {
  if (StowageError.isInstance(error) || !isStoreEnvironmentError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code!;
  const reason = REASONS[code]!;
  const path = (error as NodeJS.ErrnoException).path ?? action.dir;
  const after = action.afterBuild ? '; the images were built, but nothing was recorded' : '';
  return new StowageError(`cannot ${action.doing} in ${action.dir}: ${reason.why} (${code} at ${path})${after}`, {
    code: 'BUILD_FAILED',
    cause: error,
    hint: reason.hint.replaceAll('{dir}', action.dir),
  });
}
