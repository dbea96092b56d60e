import { existsSync, statSync } from 'node:fs';
import { StowageError } from '@stowage/plugin-api';
import { locationOf, type FieldOrigin } from '../model/origin.js';
import type { ResolvedStep } from '../model/resolved.js';
import { resolveSettingsPath } from '../resolve/resolveProject.js';

/** Every file and folder the settings name must exist (reported where each was written). */
export function checkSettingsPaths(steps: readonly ResolvedStep[], root: string): void {
  const seen = new Set<string>();
  const issues = steps.flatMap((step) => missingPaths(step, root)).filter((i) => !seen.has(where(i.origin)) && seen.add(where(i.origin)));
  const [first, ...rest] = issues;
  if (!first) return;
  throw new StowageError(first.message, {
    code: 'CONFIG_INVALID',
    ...locationOf(first.origin),
    hint: HINT,
    details: rest.map((i) => `${where(i.origin)}: ${i.message}`),
  });
}

const HINT = 'relative paths are resolved against the folder of the config file';

interface MissingPath {
  origin: FieldOrigin;
  message: string;
}

function where(o: FieldOrigin): string {
  return [o.file && (o.line ? `${o.file}:${o.line}` : o.file), o.keyPath].filter(Boolean).join(' ');
}

function missingPaths(step: ResolvedStep, root: string): MissingPath[] {
  const s = step.settings;
  const out: MissingPath[] = [];
  const check = (field: string, sub: string[], value: string | undefined, kind: 'file' | 'folder', what: string) => {
    if (!value) return;
    const abs = resolveSettingsPath(root, value);
    if (existsSync(abs) && (kind === 'file' ? statSync(abs).isFile() : statSync(abs).isDirectory())) return;
    out.push({ origin: step.origins.of(field, ...sub), message: `${what} ${abs} does not exist${existsSync(abs) ? ` or is not a ${kind}` : ''}` });
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
