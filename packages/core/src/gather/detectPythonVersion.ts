import type { Warning } from '@stowage/plugin-api';
import type { ProcessRunner } from '@stowage/plugin-api';
import { selectPythonInterpreter } from '@stowage/plugin-api';

export const FALLBACK_PYTHON_VERSION = '3.11';

/**
 * X.Y of the project's Python (ZenML picks its parent image by the client's Python): the same
 * interpreter the requirement exporters use (STOWAGE_PYTHON, the project's .venv, else python3).
 */
export async function detectPythonVersion(
  runner: ProcessRunner,
  warn: (w: Warning) => void,
  projectRoot: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const python = await selectPythonInterpreter(projectRoot, env);
  try {
    const { stdout } = await runner.run({
      command: [python.command, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
      timeoutMs: 15_000,
    });
    const version = stdout.trim();
    if (/^3\.\d+$/.test(version)) return version;
  } catch {
    // fall through to the warning below
  }
  warn({
    message: `could not run ${python.command} (${python.source}) to pick the default parent image; using python:${FALLBACK_PYTHON_VERSION}-slim (set pipeline.python_version to choose)`,
    keyPath: 'pipeline.python_version',
  });
  return FALLBACK_PYTHON_VERSION;
}
