// What `plan` says changed since the last build of an image (DESIGN §5: "its inputs are stored,
// so a later plan says concretely *what* changed"). Imports nothing of the stages.

/** Context folders with more files than this keep only counts in build records, not every file's digest. */
export const CONTEXT_FILES_LIMIT = 5_000;

/** How many names or lines a change lists; its counts say how many there are in all. */
export const CHANGE_LIST_LIMIT = 10;

/** The files of a build context folder, as `plan` names them when they change (stored with builds). */
export interface ContextFiles {
  /** Files and symlinks selected. */
  count: number;
  /** Sum of the selected files' sizes. */
  bytes: number;
  /** Path → content sha256 (hex; `symlink:<target>` for a link), when `count` ≤ CONTEXT_FILES_LIMIT. */
  files?: Record<string, string>;
}

/** The values behind an image's checksum inputs (absent in records written before Stowage stored them). */
export interface InputValues {
  /** Settings field → resolved value (unset: null), credential fields hidden. */
  settings?: Record<string, unknown>;
  /** Requirement file name → content (credentials redacted). */
  requirements?: Record<string, string>;
  /** The files of the image's context folder (code included, or `build_context_root`). */
  context?: ContextFiles;
}

/** Names (first CHANGE_LIST_LIMIT) and how many there are in all. */
export interface NamedCount {
  names: string[];
  count: number;
}

/** The first CHANGE_LIST_LIMIT of `all`, and how many there are. */
export function namedCount(all: readonly string[]): NamedCount {
  return { names: all.slice(0, CHANGE_LIST_LIMIT), count: all.length };
}

/** One concrete difference between an image's inputs and those of its last build on the stack. */
export type InputChange =
  /** `before` is absent when the earlier record did not store values (older Stowage). */
  | { kind: 'settings'; field: string; before?: unknown; after: unknown }
  | { kind: 'requirements'; file: string; status: 'added' | 'removed' | 'changed'; added: NamedCount; removed: NamedCount }
  /** Files by path; absent lists when the earlier record (or a context over the limit) kept no names. */
  | { kind: 'source-files'; changed?: NamedCount; added?: NamedCount; removed?: NamedCount; files: { before?: number; after?: number } }
  | { kind: 'code'; included: boolean }
  | { kind: 'parent-image' | 'image-builder' | 'platform'; before: string | null; after: string | null }
  | { kind: 'build-options' }
  | { kind: 'dockerfile' };
