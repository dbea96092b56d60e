import type { Warning } from '../diagnostics.js';
import type { ProcessRunner } from '../process/ProcessRunner.js';

export const FALLBACK_PYTHON_VERSION = '3.11';

/** X.Y of the local `python3` (ZenML picks its parent image by the client's Python). */
export async function detectPythonVersion(runner: ProcessRunner, warn: (w: Warning) => void): Promise<string> {
  try {
    const { stdout } = await runner.run({
      command: ['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
      timeoutMs: 15_000,
    });
    const version = stdout.trim();
    if (/^3\.\d+$/.test(version)) return version;
  } catch {
    // fall through to the warning below
  }
  warn({
    message: `could not run the local python3 to pick the default parent image; using python:${FALLBACK_PYTHON_VERSION}-slim`,
    keyPath: 'pipeline.python_version',
  });
  return FALLBACK_PYTHON_VERSION;
}
