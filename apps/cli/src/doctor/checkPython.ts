import type { ProjectConfig } from '@stowage/core';
import { selectPythonInterpreter, type ProcessRunner } from '@stowage/plugin-api';
import { fail, type DoctorCheck } from './DoctorCheck.js';

/** The key path of the first settings level that exports the local environment, if any. */
function exportSetting(project: ProjectConfig): string | undefined {
  const levels = [...project.pipelineSettings, ...project.steps.flatMap((s) => s.settings)];
  const level = levels.find((l) => l.raw['replicate_local_python_environment'] != null && l.raw['replicate_local_python_environment'] !== false);
  return level && `${level.path.join('.')}.replicate_local_python_environment`;
}

/** Whether the Python that exports requirements runs; a failure only where the project exports its environment. */
export async function checkPython(project: ProjectConfig | undefined, root: string, env: Readonly<Record<string, string | undefined>>, runner: ProcessRunner): Promise<DoctorCheck> {
  const python = await selectPythonInterpreter(root, env);
  try {
    const { stdout } = await runner.run({ command: [python.command, '-c', 'import sys; print(sys.version.split()[0])'], timeoutMs: 15_000 });
    return { check: 'python3', status: 'ok', message: `Python ${stdout.trim()} (${python.command}, from ${python.source})` };
  } catch {
    const needed = project && exportSetting(project);
    const hint = 'install python3 (Debian: apt-get install python3), or set STOWAGE_PYTHON to the interpreter whose packages to export';
    if (needed) return fail('python3', `cannot run ${python.command} (from ${python.source}), which ${needed} needs to export the local environment`, hint);
    return {
      check: 'python3',
      status: 'warn',
      message: `cannot run ${python.command} (from ${python.source}); needed only for replicate_local_python_environment, and to pick the Python of the default parent image when pipeline.python_version is unset`,
      hint,
    };
  }
}
