import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StowageError } from '@stowage/core';

/** What `stowage init` found in the folder, each with the file it came from. */
export interface DetectedProject {
  name: { value: string; from: string };
  requirements?: string;
  pyproject?: string;
  pythonVersion?: { value: string; from: string };
}

interface Pyproject {
  project?: { name?: unknown; 'requires-python'?: unknown; dependencies?: unknown };
  tool?: { poetry?: { name?: unknown; dependencies?: { python?: unknown } } };
}

/** Reads requirements.txt, pyproject.toml and .python-version of `dir` (nothing else, nothing written). */
export async function detectProject(dir: string): Promise<DetectedProject> {
  const pyproject = existsSync(join(dir, 'pyproject.toml')) ? await readPyproject(join(dir, 'pyproject.toml')) : undefined;
  const projectName = stringOf(pyproject?.project?.name) ?? stringOf(pyproject?.tool?.poetry?.name);
  return {
    name: projectName ? { value: projectName, from: 'pyproject.toml' } : { value: basename(dir) || 'pipeline', from: 'the folder name' },
    ...(existsSync(join(dir, 'requirements.txt')) && { requirements: 'requirements.txt' }),
    ...(pyproject && { pyproject: 'pyproject.toml' }),
    ...pythonVersionOf(dir, pyproject),
  };
}

async function readPyproject(file: string): Promise<Pyproject> {
  const { parse, TomlError } = await import('smol-toml');
  try {
    return parse(readFileSync(file, 'utf8')) as Pyproject;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new StowageError(`not valid TOML: ${error.message.split('\n')[0]}`, {
      code: 'USAGE',
      file: 'pyproject.toml',
      line: error.line,
      cause: error,
      hint: 'fix pyproject.toml (or move it away) and run `stowage init` again; nothing was written',
    });
  }
}

/** `.python-version` (pyenv, uv), else the lower bound of pyproject's `requires-python` (or poetry's `python`). */
function pythonVersionOf(dir: string, pyproject: Pyproject | undefined): Pick<DetectedProject, 'pythonVersion'> {
  const file = join(dir, '.python-version');
  if (existsSync(file)) {
    const line = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
    const version = line && /^(?:python|cpython-?)?(3\.\d+)/.exec(line)?.[1];
    if (version) return { pythonVersion: { value: version, from: '.python-version' } };
  }
  const requires = stringOf(pyproject?.project?.['requires-python']) ?? stringOf(pyproject?.tool?.poetry?.dependencies?.python);
  const lower = requires && lowerBound(requires);
  return lower ? { pythonVersion: { value: lower, from: `pyproject.toml requires-python "${requires}"` } } : {};
}

/** X.Y of the lowest version a specifier allows: `>=3.10`, `~=3.11.2`, `==3.12.*`, `^3.9` (poetry), `3.11`. */
export function lowerBound(specifier: string): string | undefined {
  for (const clause of specifier.split(',')) {
    const m = /^\s*(>=|~=|==|\^|~)?\s*(3)\.(\d+)/.exec(clause);
    if (m && (m[1] !== undefined || clause.trim().startsWith('3'))) return `${m[2]}.${m[3]}`;
  }
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
