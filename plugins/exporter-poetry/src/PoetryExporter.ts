import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportContext, ExportResult, ProcessRunner, RequirementsExporter } from '@stowage/plugin-api';
import { commandLine } from './commandLine.js';
import { exportFailure, isDirectoryOptionMissing, pyprojectMissing } from './poetryFailure.js';

/** `poetry export` reads poetry.lock, but locks first (against the index) when there is none. */
const EXPORT_TIMEOUT_MS = 5 * 60_000;

// Hashes are left out (as in ZenML's default): a hashed file puts pip in hash-checking mode for
// every requirement file installed with it, and the stack/integration files carry no hashes.
const POETRY_EXPORT = ['poetry', 'export', '--format=requirements.txt'] as const;

/** ZenML's second default pyproject export command (DEFAULT_PYPROJECT_EXPORT_COMMANDS[1]), as argv. */
export function poetryExportCommand(directory: string): string[] {
  return [...POETRY_EXPORT, `--directory=${directory}`, '--without-hashes'];
}

/** ZenML's `PythonEnvironmentExportMethod.POETRY_EXPORT`, without hashes; also the no-`--directory` fallback. */
export function poetryExportInPlaceCommand(): string[] {
  return [...POETRY_EXPORT, '--without-hashes'];
}

export interface PoetryExporterOptions {
  timeoutMs?: number;
}

/**
 * `poetry export` for `pyproject_path` and for `replicate_local_python_environment: poetry_export`
 * (the only method the plugin declares). The host removes what an image cannot install (path
 * dependencies) from every export, so this returns what Poetry printed.
 */
export class PoetryExporter implements RequirementsExporter {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: PoetryExporterOptions = {},
  ) {}

  /** ZenML's default poetry command, with the Poetry 1.1 fallback. */
  async exportPyproject(directory: string, ctx: ExportContext): Promise<ExportResult> {
    const argv = poetryExportCommand(directory);
    await assertPyprojectExists(directory, argv);
    try {
      return await this.runExport(argv, directory, ctx);
    } catch (error) {
      if (!isDirectoryOptionMissing(error)) throw exportFailure('pyproject', argv, error);
      return this.exportWithoutDirectoryOption(argv, directory, ctx);
    }
  }

  async exportEnvironment(_method: 'pip_freeze' | 'poetry_export', ctx: ExportContext): Promise<ExportResult> {
    const argv = poetryExportInPlaceCommand();
    try {
      return await this.runExport(argv, ctx.projectRoot, ctx);
    } catch (error) {
      throw exportFailure('environment', argv, error);
    }
  }

  /** Poetry 1.1 and older have no `--directory`: run the same export from inside the folder. */
  private async exportWithoutDirectoryOption(first: readonly string[], directory: string, ctx: ExportContext): Promise<ExportResult> {
    const argv = poetryExportInPlaceCommand();
    try {
      return await this.runExport(argv, directory, ctx);
    } catch (error) {
      throw exportFailure('pyproject', argv, error, [`\`${commandLine(first)}\` was refused: this Poetry has no --directory option`]);
    }
  }

  private async runExport(argv: readonly string[], cwd: string, ctx: ExportContext): Promise<ExportResult> {
    const timeoutMs = this.options.timeoutMs ?? EXPORT_TIMEOUT_MS;
    const { stdout } = await this.runner.run({ command: argv, cwd, timeoutMs, signal: ctx.signal });
    return { requirements: stdout, command: commandLine(argv) };
  }
}

async function assertPyprojectExists(directory: string, argv: readonly string[]): Promise<void> {
  const pyproject = join(directory, 'pyproject.toml');
  const found = await stat(pyproject).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) throw pyprojectMissing(argv, pyproject);
}
