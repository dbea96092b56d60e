import type { Stats } from 'node:fs';
import { access, constants, lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { Warning } from '../diagnostics.js';
import { toStowageError, StowageError } from '../errors.js';
import type { ContextEntry } from './ContextSelection.js';
import type { DockerignoreMatcher } from './DockerignoreMatcher.js';
import { compareContextPaths } from './compareContextPaths.js';

interface Walk {
  root: string;
  realRoot: string;
  matcher: DockerignoreMatcher;
  warnings: Warning[];
}

/**
 * Every entry of `root` that Docker would send as build context, in path order, following
 * Docker's walk: an excluded directory is skipped unless a `!` pattern may re-include something
 * below it, and symlinks are never followed.
 */
export async function walkContext(
  root: string,
  matcher: DockerignoreMatcher,
): Promise<{ entries: ContextEntry[]; warnings: Warning[] }> {
  const walk: Walk = { root, realRoot: await realpath(root), matcher, warnings: [] };
  const entries = await walkDirectory(walk, '');
  return { entries: entries.sort((a, b) => compareContextPaths(a.path, b.path)), warnings: walk.warnings };
}

async function walkDirectory(walk: Walk, relDir: string): Promise<ContextEntry[]> {
  const absDir = relDir === '' ? walk.root : join(walk.root, relDir);
  const names = await readdir(absDir).catch((error: unknown) => {
    throw unreadable(error, absDir);
  });
  const children = await Promise.all(names.map((name) => visit(walk, relDir === '' ? name : `${relDir}/${name}`)));
  return children.flat();
}

async function visit(walk: Walk, path: string): Promise<ContextEntry[]> {
  const absolutePath = join(walk.root, path);
  const stats = await lstat(absolutePath).catch((error: unknown) => {
    throw unreadable(error, absolutePath);
  });
  const ignored = walk.matcher.ignores(path);
  if (stats.isDirectory()) return visitDirectory(walk, path, absolutePath, stats, ignored);
  if (ignored) return [];
  if (stats.isSymbolicLink()) return [await symlinkEntry(walk, path, absolutePath, stats)];
  if (stats.isFile()) return [await fileEntry(path, absolutePath, stats)];
  walk.warnings.push({
    message: `${absolutePath} is a ${specialKind(stats)}, which a build context cannot carry; it is left out (add it to .dockerignore to silence this)`,
  });
  return [];
}

async function visitDirectory(
  walk: Walk,
  path: string,
  absolutePath: string,
  stats: Stats,
  ignored: boolean,
): Promise<ContextEntry[]> {
  if (ignored && !walk.matcher.mayReincludeBelow(path)) return [];
  const below = await walkDirectory(walk, path);
  // An excluded directory that Docker walked into ships only what was re-included below it.
  if (ignored && below.length === 0) return [];
  const self: ContextEntry = { path, type: 'directory', mode: stats.mode & 0o7777, size: 0, absolutePath };
  return [self, ...below];
}

async function fileEntry(path: string, absolutePath: string, stats: Stats): Promise<ContextEntry> {
  // Checked now, as `docker build` does before sending anything, so the error names the file.
  await access(absolutePath, constants.R_OK).catch((error: unknown) => {
    throw unreadable(error, absolutePath);
  });
  return { path, type: 'file', mode: stats.mode & 0o7777, size: stats.size, absolutePath };
}

async function symlinkEntry(walk: Walk, path: string, absolutePath: string, stats: Stats): Promise<ContextEntry> {
  const linkTarget = await readlink(absolutePath).catch((error: unknown) => {
    throw unreadable(error, absolutePath);
  });
  const resolved = isAbsolute(linkTarget) ? resolve(linkTarget) : resolve(dirname(absolutePath), linkTarget);
  if (!isWithin(walk.root, resolved) && !isWithin(walk.realRoot, resolved)) {
    throw new StowageError(
      `The symlink ${path} in the build context points to ${linkTarget}, which is outside the context root ${walk.root}`,
      {
        code: 'CONTEXT_INVALID',
        file: absolutePath,
        hint: `replace ${path} with a copy of what it points to, or add it to .dockerignore`,
      },
    );
  }
  return { path, type: 'symlink', mode: stats.mode & 0o7777, size: 0, absolutePath, linkTarget };
}

function isWithin(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'named pipe';
  if (stats.isSocket()) return 'socket';
  return 'device file';
}

function unreadable(error: unknown, absolutePath: string): StowageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? `make ${absolutePath} readable by this user, or add it to .dockerignore`
      : 'check that the build context is not being changed while Stowage reads it';
  return toStowageError(error, {
    code: 'CONTEXT_INVALID',
    file: absolutePath,
    message: `Cannot read ${absolutePath} for the build context`,
    hint,
  });
}
