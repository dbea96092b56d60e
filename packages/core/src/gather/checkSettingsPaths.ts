import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { StowageError } from '@stowage/plugin-api';
import { locationOf, type FieldOrigin } from '../model/origin.js';
import type { ResolvedStep } from '../model/resolved.js';
import { resolveSettingsPath } from '../resolve/resolveProject.js';
import { fileKind } from '../files/readRegularFile.js';
import { systemFolderOf } from '../files/systemFolder.js';

/**
 * Every file and folder the settings name must exist (reported where each was written). A missing
 * relative path that exists relative to `cwd` is named: ZenML resolved paths against the CWD.
 */
export function checkSettingsPaths(steps: readonly ResolvedStep[], root: string, cwd = process.cwd()): void {
  const seen = new Set<string>();
  const issues = steps.flatMap((step) => missingPaths(step, root, cwd)).filter((i) => !seen.has(where(i.origin)) && seen.add(where(i.origin)));
  const [first, ...rest] = issues;
  if (!first) return;
  throw new StowageError(first.message, {
    code: 'CONFIG_INVALID',
    ...locationOf(first.origin),
    hint: first.hint ?? HINT,
    details: rest.map((i) => `${where(i.origin)}: ${i.message}`),
  });
}

const HINT = 'point it at a file of the project; relative paths are resolved against the folder of the config file';

interface MissingPath {
  origin: FieldOrigin;
  message: string;
  hint?: string;
}

function where(o: FieldOrigin): string {
  return [o.file && (o.line ? `${o.file}:${o.line}` : o.file), o.keyPath].filter(Boolean).join(' ');
}

/** Why `abs` cannot be used as a `kind`: missing, in /proc, /sys or /dev, a pipe or device, … */
export function pathProblem(abs: string, kind: 'file' | 'folder'): string | undefined {
  const system = systemFolderOf(abs);
  if (system) return `is in ${system}: a system folder, not part of the project`;
  if (!existsSync(abs)) return 'does not exist';
  const stats = statSync(abs);
  if (kind === 'file' ? stats.isFile() : stats.isDirectory()) return undefined;
  return `is ${fileKind(stats)}, not a ${kind === 'file' ? 'regular file' : 'folder'}`;
}

function missingPaths(step: ResolvedStep, root: string, cwd: string): MissingPath[] {
  const s = step.settings;
  const out: MissingPath[] = [];
  const check = (field: string, sub: string[], value: string | undefined, kind: 'file' | 'folder', what: string) => {
    if (!value) return;
    const abs = resolveSettingsPath(root, value);
    const problem = pathProblem(abs, kind);
    if (!problem) return;
    const origin = step.origins.of(field, ...sub);
    const fromCwd = resolveSettingsPath(cwd, value);
    if (problem === 'does not exist' && fromCwd !== abs && !pathProblem(fromCwd, kind)) {
      const written = relative(root, fromCwd) || '.';
      const hint = `relative paths are resolved against the folder of the config file (ZenML used the current directory): write \`${written}\`, or an absolute path`;
      out.push({ origin, message: `${what} ${abs} does not exist; ${fromCwd} (relative to the current directory) does`, hint });
    } else out.push({ origin, message: `${what} ${abs} ${problem}` });
  };
  if (s.skip_build) return out;
  check('dockerfile', [], s.dockerfile, 'file', 'Dockerfile');
  if (s.dockerfile) check('build_context_root', [], s.build_context_root, 'folder', 'build context root');
  check('pyproject_path', [], s.pyproject_path, 'file', 'pyproject file');
  if (typeof s.requirements === 'string') check('requirements', [], s.requirements, 'file', 'requirements file');
  check('build_config', ['dockerignore'], s.build_config?.dockerignore, 'file', '.dockerignore file');
  if (s.dockerfile) check('parent_image_build_config', ['dockerignore'], s.parent_image_build_config?.dockerignore, 'file', '.dockerignore file');
  return out;
}
