import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeCommand,
  filterLocalRequirements,
  StowageError,
  type EnvironmentExportMethod,
  type ExportContext,
  type ExportResult,
  type ProcessRunner,
  type RequirementsExporter,
} from '@stowage/core';
import { POETRY_EXPORTER_PLUGIN } from './pluginName.js';
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

/** `poetry export` for `pyproject_path` and for `replicate_local_python_environment: poetry_export`. */
export class PoetryExporter implements RequirementsExporter {
  readonly name = 'poetry';

  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: PoetryExporterOptions = {},
  ) {}

  /**
   * Always ZenML's default poetry command (with the Poetry 1.1 fallback). `_command` is in the
   * contract's signature, but a custom `pyproject_export_command` never reaches an exporter:
   * core's ExporterSet substitutes `{directory}` and runs it itself.
   */
  async exportPyproject(directory: string, _command: readonly string[] | undefined, ctx: ExportContext): Promise<ExportResult> {
    const argv = poetryExportCommand(directory);
    await assertPyprojectExists(directory, argv);
    try {
      return await this.runExport(argv, directory, ctx);
    } catch (error) {
      if (!isDirectoryOptionMissing(error)) throw exportFailure('pyproject', argv, error);
      return this.exportWithoutDirectoryOption(argv, directory, ctx);
    }
  }

  async exportEnvironment(method: EnvironmentExportMethod, ctx: ExportContext): Promise<ExportResult> {
    if (method !== 'poetry_export') {
      throw new StowageError(`the poetry exporter handles \`replicate_local_python_environment: poetry_export\`, not ${JSON.stringify(method)}`, {
        code: 'USAGE',
        plugin: POETRY_EXPORTER_PLUGIN,
        hint: '`true` and `pip_freeze` belong to @stowage/exporter-pip; command lists are run by Stowage itself',
      });
    }
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
      throw exportFailure('pyproject', argv, error, [`\`${describeCommand(first)}\` was refused: this Poetry has no --directory option`]);
    }
  }

  private async runExport(argv: readonly string[], cwd: string, ctx: ExportContext): Promise<ExportResult> {
    const timeoutMs = this.options.timeoutMs ?? EXPORT_TIMEOUT_MS;
    const { stdout } = await this.runner.run({ command: argv, cwd, timeoutMs, signal: ctx.signal });
    const { requirements, dropped } = filterLocalRequirements(stdout);
    return { requirements, dropped, command: describeCommand(argv) };
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
