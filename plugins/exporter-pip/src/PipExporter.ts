import {
  selectPythonInterpreter,
  StowageError,
  STOWAGE_PYTHON_ENV,
  type ExportContext,
  type ExportResult,
  type ProcessRunner,
  type PythonInterpreter,
  type RequirementsExporter,
} from '@stowage/plugin-api';
import { commandLine } from './commandLine.js';

/** `pip freeze` only lists installed distributions; two minutes covers huge environments. */
const FREEZE_TIMEOUT_MS = 2 * 60_000;

// pip writes this comment above each editable line; once the host drops that line it would only
// leave a misleading "Editable install" note in the image's requirements file.
const PIP_EDITABLE_ANNOTATION = /^#\s*Editable\b.*\binstall\b/i;

export interface PipExporterOptions {
  /** Environment the interpreter choice reads (`STOWAGE_PYTHON`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

/**
 * `replicate_local_python_environment: true | pip_freeze`: `<python> -m pip freeze`. The host
 * routes only `pip_freeze` here (the plugin declares it) and removes what an image cannot install
 * (editable installs, local paths) from every export, so this returns what pip printed.
 */
export class PipExporter implements RequirementsExporter {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: PipExporterOptions = {},
  ) {}

  async exportEnvironment(_method: 'pip_freeze' | 'poetry_export', ctx: ExportContext): Promise<ExportResult> {
    const python = await selectPythonInterpreter(ctx.projectRoot, this.options.env ?? process.env);
    // `-m pip` (not a `pip` script) guarantees the listing comes from that interpreter's site-packages.
    const argv = [python.command, '-m', 'pip', 'freeze'];
    let stdout: string;
    try {
      ({ stdout } = await this.runner.run({
        command: argv,
        cwd: ctx.projectRoot,
        timeoutMs: this.options.timeoutMs ?? FREEZE_TIMEOUT_MS,
        signal: ctx.signal,
      }));
    } catch (error) {
      throw freezeFailure(argv, python, error);
    }
    return { requirements: withoutEditableAnnotations(stdout), command: commandLine(argv) };
  }
}

function withoutEditableAnnotations(freezeOutput: string): string {
  return freezeOutput
    .split(/\r?\n/)
    .filter((line) => !PIP_EDITABLE_ANNOTATION.test(line.trim()))
    .join('\n');
}

function freezeFailure(argv: readonly string[], python: PythonInterpreter, error: unknown): StowageError {
  const details = StowageError.isInstance(error) ? [error.message, ...error.details] : [String(error)];
  // Worded after ZenML's "Unable to export local python packages." so users recognise it.
  return new StowageError(`Unable to export local python packages: \`${commandLine(argv)}\` failed`, {
    code: 'REQUIREMENTS_EXPORT_FAILED',
    cause: error,
    details,
    hint: freezeHint(details.join('\n'), python),
  });
}

function freezeHint(output: string, python: PythonInterpreter): string {
  const chosen = `${python.command} (from ${python.source})`;
  if (/No module named pip/.test(output)) {
    return `${chosen} has no pip: run \`${python.command} -m ensurepip\`, or set ${STOWAGE_PYTHON_ENV} to an interpreter that has it`;
  }
  if (/command not found/.test(output)) {
    return `there is no Python at ${chosen}: set ${STOWAGE_PYTHON_ENV} to the interpreter whose packages belong in the image`;
  }
  return `check that ${chosen} is the environment to export, or set ${STOWAGE_PYTHON_ENV} to another interpreter`;
}
