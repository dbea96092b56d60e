import { StowageError, type StowageErrorCode } from '@stowage/plugin-api';

export type KeyPath = readonly (string | number)[];

/** One problem found in a config, with the key path it is at (changesets-style: collected, not thrown). */
export interface ConfigIssue {
  path: KeyPath;
  message: string;
  hint?: string;
  /** Where the path lives; defaults to the source passed to `raiseIssues`. */
  source?: ConfigSource;
}

/** Where config values came from: a file (with line lookup) or TypeScript code. */
export interface ConfigSource {
  /** Display name of the file (relative to the CWD when possible), or e.g. `definePipeline()`. */
  file?: string;
  lineOf?(path: KeyPath): number | undefined;
}

/** `steps.train.settings.docker.requirements[0]` */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

function locate(source: ConfigSource, path: KeyPath): string {
  const line = source.lineOf?.(path);
  const file = source.file ? (line ? `${source.file}:${line}` : source.file) : '';
  const key = formatKeyPath(path);
  return [file, key].filter(Boolean).join(' ');
}

/** Throws one StowageError for all issues: the first is the message, the rest are details. */
export function raiseIssues(
  issues: readonly ConfigIssue[],
  source: ConfigSource = {},
  code: StowageErrorCode = 'CONFIG_INVALID',
): never {
  const [first, ...rest] = issues;
  if (!first) throw new Error('raiseIssues called without issues');
  const firstSource = first.source ?? source;
  throw new StowageError(first.message, {
    code,
    file: firstSource.file,
    keyPath: formatKeyPath(first.path) || undefined,
    line: firstSource.lineOf?.(first.path),
    hint: first.hint,
    details: rest.map(
      (i) => `${locate(i.source ?? source, i.path)}: ${i.message}${i.hint ? ` (hint: ${i.hint})` : ''}`,
    ),
  });
}

/** Attaches a source to issues that have none. */
export function withSource(issues: readonly ConfigIssue[], source: ConfigSource): ConfigIssue[] {
  return issues.map((i) => (i.source ? i : { ...i, source }));
}
