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
  selectPythonInterpreter,
  type RequirementsExporter,
} from '@stowage/core';
import { UV_EXPORTER_PLUGIN } from './pluginName.js';

/** `uv export` may have to lock first (resolving against the index), so allow it more time. */
const PYPROJECT_EXPORT_TIMEOUT_MS = 5 * 60_000;
const FREEZE_TIMEOUT_MS = 2 * 60_000;

/** ZenML's first default pyproject export command (DEFAULT_PYPROJECT_EXPORT_COMMANDS[0]), as argv. */
export function uvExportCommand(directory: string): string[] {
  return ['uv', 'export', '--format=requirements-txt', `--directory=${directory}`, '--no-hashes', '--no-emit-project'];
}

export interface UvExporterOptions {
  /** Environment the interpreter choice reads (`STOWAGE_PYTHON`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

interface UvRun {
  argv: readonly string[];
  cwd: string;
  timeoutMs: number;
  ctx: ExportContext;
  operation: ExportOperation;
}

/** `uv export` for `pyproject_path`, `uv pip freeze` for the local environment; local projects left out. */
export class UvExporter implements RequirementsExporter {
  readonly name = 'uv';

  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: UvExporterOptions = {},
  ) {}

  /**
   * Always ZenML's default uv command. `_command` is in the contract's signature, but a custom
   * `pyproject_export_command` never reaches an exporter: core's ExporterSet substitutes
   * `{directory}` and runs it itself, and calls exporters only for the default order.
   */
  async exportPyproject(directory: string, _command: readonly string[] | undefined, ctx: ExportContext): Promise<ExportResult> {
    const argv = uvExportCommand(directory);
    await assertPyprojectExists(directory, argv);
    const timeoutMs = this.options.timeoutMs ?? PYPROJECT_EXPORT_TIMEOUT_MS;
    return this.runExport({ argv, cwd: directory, timeoutMs, ctx, operation: 'pyproject' });
  }

  /**
   * `uv pip freeze`. Not reached from `stowage.yaml`: core routes `true` / `pip_freeze` to the
   * `pip` exporter. Kept because the contract allows it and hosts may call it directly.
   */
  async exportEnvironment(method: EnvironmentExportMethod, ctx: ExportContext): Promise<ExportResult> {
    assertFreezeMethod(method);
    const python = await selectPythonInterpreter(ctx.projectRoot, this.options.env ?? process.env);
    // Without --python uv would pick VIRTUAL_ENV / a .venv itself; naming it keeps pip's rule.
    const argv = ['uv', 'pip', 'freeze', '--python', python.command];
    const timeoutMs = this.options.timeoutMs ?? FREEZE_TIMEOUT_MS;
    return this.runExport({ argv, cwd: ctx.projectRoot, timeoutMs, ctx, operation: 'environment' });
  }

  private async runExport({ argv, cwd, timeoutMs, ctx, operation }: UvRun): Promise<ExportResult> {
    let stdout: string;
    try {
      ({ stdout } = await this.runner.run({ command: argv, cwd, timeoutMs, signal: ctx.signal }));
    } catch (error) {
      throw exportFailure(operation, argv, error);
    }
    const { requirements, dropped } = filterLocalRequirements(stdout);
    return { requirements, dropped, command: describeCommand(argv) };
  }
}

function assertFreezeMethod(method: EnvironmentExportMethod): void {
  if (method === true || method === 'pip_freeze') return;
  throw new StowageError(`the uv exporter exports environments for \`true\` and \`pip_freeze\`, not ${JSON.stringify(method)}`, {
    code: 'USAGE',
    plugin: UV_EXPORTER_PLUGIN,
    hint: '`poetry_export` belongs to @stowage/exporter-poetry; command lists are run by Stowage itself',
  });
}

/** A missing folder would otherwise surface as "command not found" (spawn reports a bad cwd as ENOENT). */
async function assertPyprojectExists(directory: string, argv: readonly string[]): Promise<void> {
  const pyproject = join(directory, 'pyproject.toml');
  const found = await stat(pyproject).then((s) => s.isFile(), () => false);
  if (found) return;
  throw new StowageError(`${FAILURES.pyproject.message(describeCommand(argv))}: ${pyproject} does not exist`, {
    code: 'REQUIREMENTS_NOT_FOUND',
    plugin: UV_EXPORTER_PLUGIN,
    keyPath: FAILURES.pyproject.keyPath,
    hint: 'point `pyproject_path` at an existing pyproject.toml (relative to the config file)',
  });
}

function detailsOf(error: unknown): string[] {
  return StowageError.isInstance(error) ? [error.message, ...error.details] : [String(error)];
}

type ExportOperation = 'pyproject' | 'environment';

/** The two operations fail alike; only ZenML's wording, the settings key and the fallback hint differ. */
const FAILURES: Record<ExportOperation, { message: (command: string) => string; keyPath: string; hint: string }> = {
  // ZenML's wording: "Failed to export pyproject dependencies with command `<cmd>`: <stderr>".
  pyproject: {
    message: (command) => `Failed to export pyproject dependencies with command \`${command}\``,
    keyPath: 'settings.docker.pyproject_path',
    hint: 'run the command yourself to see the problem, or set `pyproject_export_command`',
  },
  // ZenML's wording: "Unable to export local python packages."
  environment: {
    message: (command) => `Unable to export local python packages: \`${command}\` failed`,
    keyPath: 'settings.docker.replicate_local_python_environment',
    hint: 'check the interpreter after --python, or set STOWAGE_PYTHON to another one',
  },
};

function exportFailure(operation: ExportOperation, argv: readonly string[], error: unknown): StowageError {
  const { message, keyPath, hint } = FAILURES[operation];
  const details = detailsOf(error);
  const uvMissing = details.some((d) => d.includes('command not found: uv'));
  return new StowageError(message(describeCommand(argv)), {
    code: 'REQUIREMENTS_EXPORT_FAILED',
    plugin: UV_EXPORTER_PLUGIN,
    keyPath,
    cause: error,
    details,
    hint: uvMissing ? 'install uv (https://docs.astral.sh/uv/) and put it on PATH' : hint,
  });
}
