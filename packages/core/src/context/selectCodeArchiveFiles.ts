import { isAbsolute, relative, sep } from 'node:path';
import type { ProcessRunner } from '@stowage/plugin-api';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import { DockerignoreMatcher } from './DockerignoreMatcher.js';
import { selectSourceFiles } from './selectSourceFiles.js';
import { walkContext } from './walkContext.js';

/** How the code archive chooses its files: what git would ship, or `.dockerignore` rules outside a checkout. */
export type CodeArchiveSelection = 'git' | 'dockerignore';

/**
 * The files of the code archive, as ZenML chooses them: inside a git checkout the files git would
 * ship (tracked, and untracked files git does not ignore); outside one, the `.dockerignore` rules.
 * Never `.git/`, never Stowage's state folders (`excluded`).
 */
export async function selectCodeArchiveFiles(
  root: string,
  mode: CodeArchiveSelection,
  excluded: readonly string[],
  runner: ProcessRunner,
): Promise<ContextSelection> {
  if (mode === 'dockerignore') return withoutGitFolder(await selectSourceFiles(root, null, excluded));
  const shipped = await gitShippedFiles(root, runner);
  // Git-ignored folders are never entered: a `.venv` or `node_modules` may hold links out of the project.
  const ignored = (await gitIgnoredPaths(root, runner)).map(asLiteralPattern);
  const { entries, warnings } = await walkContext(root, new DockerignoreMatcher(['.git', ...ignored]));
  const outside = excludedPrefixes(root, excluded);
  const files = entries.filter((e) => e.type !== 'directory' && shipped.has(e.path) && !outside.some((p) => e.path === p || e.path.startsWith(`${p}/`)));
  const folders = new Set(files.flatMap((e) => ancestors(e.path)));
  const chosen = new Set(files);
  const kept = entries.filter((e) => (e.type === 'directory' ? folders.has(e.path) : chosen.has(e)));
  return { root, dockerignoreFile: null, patterns: [], entries: kept, totalBytes: sum(kept), warnings };
}

/** Paths (relative to `root`, `/`-separated) of the files git would ship from `root` down. */
async function gitShippedFiles(root: string, runner: ProcessRunner): Promise<Set<string>> {
  const { stdout } = await runner.run({ command: ['git', '-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], env: { LC_ALL: 'C' } });
  return new Set(stdout.split('\0').filter(Boolean));
}

/** Untracked paths git ignores, whole folders as one entry (`venv/`), relative to `root`. */
async function gitIgnoredPaths(root: string, runner: ProcessRunner): Promise<string[]> {
  const { stdout } = await runner.run({ command: ['git', '-C', root, 'ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory', '--', '.'], env: { LC_ALL: 'C' } });
  return stdout.split('\0').filter(Boolean).map((p) => p.replace(/\/+$/, ''));
}

/** A path as a `.dockerignore` pattern that matches only itself (glob characters escaped). */
function asLiteralPattern(path: string): string {
  return path.replace(/[*?[\]\\]/g, (c) => `\\${c}`).replace(/^!/, '\\!');
}

function withoutGitFolder(selection: ContextSelection): ContextSelection {
  const entries = selection.entries.filter((e) => e.path !== '.git' && !e.path.startsWith('.git/'));
  return entries.length === selection.entries.length ? selection : { ...selection, entries, totalBytes: sum(entries) };
}

function excludedPrefixes(root: string, excluded: readonly string[]): string[] {
  return excluded.map((dir) => relative(root, dir).split(sep).join('/')).filter((rel) => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel));
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function sum(entries: readonly ContextEntry[]): number {
  return entries.reduce((n, e) => n + (e.type === 'file' ? e.size : 0), 0);
}
