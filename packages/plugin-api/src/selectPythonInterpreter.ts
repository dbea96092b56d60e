import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Environment variable naming the Python interpreter whose packages are exported. */
export const STOWAGE_PYTHON_ENV = 'STOWAGE_PYTHON';

/** The interpreter an environment export runs, and where the choice came from (for messages). */
export interface PythonInterpreter {
  command: string;
  source: 'STOWAGE_PYTHON' | 'project .venv' | 'PATH';
}

/**
 * The interpreter requirement exports run and the image's Python version is detected with (core,
 * the pip exporter and `stowage doctor` share it): STOWAGE_PYTHON if set, else the project's
 * `.venv`, else `python3` on PATH. ZenML runs plain `pip freeze` (whatever is on PATH); we prefer
 * the project's venv because Stowage is a Node tool and is rarely started from inside an activated
 * venv. An activated venv still wins over the system Python through PATH when there is no `.venv`.
 */
export async function selectPythonInterpreter(
  projectRoot: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Promise<PythonInterpreter> {
  const override = env[STOWAGE_PYTHON_ENV]?.trim();
  if (override) return { command: override, source: STOWAGE_PYTHON_ENV };
  const venv = join(projectRoot, '.venv');
  if (await isDirectory(venv)) {
    const python = platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
    return { command: python, source: 'project .venv' };
  }
  return { command: 'python3', source: 'PATH' };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
