import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StowageError, type ExportContext, type ExportResult, type ProcessRunner, type RequirementsExporter } from '@stowage/plugin-api';
import { commandLine } from './commandLine.js';

/** `uv export` may have to lock first (resolving against the index), so allow it more time. */
const PYPROJECT_EXPORT_TIMEOUT_MS = 5 * 60_000;

/** ZenML's first default pyproject export command (DEFAULT_PYPROJECT_EXPORT_COMMANDS[0]), as argv. */
export function uvExportCommand(directory: string): string[] {
  return ['uv', 'export', '--format=requirements-txt', `--directory=${directory}`, '--no-hashes', '--no-emit-project'];
}

export interface UvExporterOptions {
  timeoutMs?: number;
}

/**
 * `uv export` for `pyproject_path`. The host removes what an image cannot install (workspace
 * members and path dependencies uv writes as editables) from every export, so this returns what
 * uv printed. A custom `pyproject_export_command` is run by the host, never by an exporter.
 */
export class UvExporter implements RequirementsExporter {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: UvExporterOptions = {},
  ) {}

  async exportPyproject(directory: string, ctx: ExportContext): Promise<ExportResult> {
    const argv = uvExportCommand(directory);
    await assertPyprojectExists(directory, argv);
    const timeoutMs = this.options.timeoutMs ?? PYPROJECT_EXPORT_TIMEOUT_MS;
    try {
      const { stdout } = await this.runner.run({ command: argv, cwd: directory, timeoutMs, signal: ctx.signal });
      return { requirements: stdout, command: commandLine(argv) };
    } catch (error) {
      throw exportFailure(argv, error);
    }
  }
}

// ZenML's wording: "Failed to export pyproject dependencies with command `<cmd>`: <stderr>".
const failedWith = (argv: readonly string[]) => `Failed to export pyproject dependencies with command \`${commandLine(argv)}\``;

/** A missing folder would otherwise surface as "command not found" (spawn reports a bad cwd as ENOENT). */
async function assertPyprojectExists(directory: string, argv: readonly string[]): Promise<void> {
  const pyproject = join(directory, 'pyproject.toml');
  const found = await stat(pyproject).then((s) => s.isFile(), () => false);
  if (found) return;
  throw new StowageError(`${failedWith(argv)}: ${pyproject} does not exist`, {
    code: 'REQUIREMENTS_NOT_FOUND',
    hint: 'point `pyproject_path` at an existing pyproject.toml (relative to the config file)',
  });
}

function exportFailure(argv: readonly string[], error: unknown): StowageError {
  const details = StowageError.isInstance(error) ? [error.message, ...error.details] : [String(error)];
  const uvMissing = details.some((d) => d.includes('command not found: uv'));
  return new StowageError(failedWith(argv), {
    code: 'REQUIREMENTS_EXPORT_FAILED',
    cause: error,
    details,
    hint: uvMissing
      ? 'install uv (https://docs.astral.sh/uv/) and put it on PATH'
      : 'run the command yourself to see the problem, or set `pyproject_export_command`',
  });
}
