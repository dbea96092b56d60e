import {
  StowageError,
  type EnvironmentExportMethod,
  type ExportContext,
  type ExporterDefinition,
  type ExportResult,
  type ProcessRunner,
  type RequirementsExporter,
} from '@stowage/plugin-api';
import { describeCommand } from '../process/ProcessRunner.js';
import { filterLocalRequirements } from './parseRequirementLines.js';

/** An exporter a plugin contributed, created, with the package it came from. */
export interface RegisteredExporter {
  definition: ExporterDefinition;
  plugin: string;
  exporter: RequirementsExporter;
}

/**
 * Routes the two export operations the requirement sources need to the exporters plugins
 * declared: pyproject exports in ascending priority until one succeeds (ZenML's uv-then-poetry
 * with the shipped plugins), environment exports by method. Custom commands run without a shell.
 */
export class ExporterSet {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly exporters: readonly RegisteredExporter[] = [],
  ) {}

  names(): string[] {
    return this.exporters.map((e) => e.definition.name).sort();
  }

  async exportEnvironment(method: EnvironmentExportMethod, ctx: ExportContext): Promise<ExportResult> {
    if (Array.isArray(method)) return this.runCustom(method as readonly string[], ctx.projectRoot, 'local environment export', ctx.signal);
    const named = method === true ? 'pip_freeze' : (method as 'pip_freeze' | 'poetry_export');
    const found = this.exporters.find((e) => e.definition.environmentMethods?.includes(named) && e.exporter.exportEnvironment);
    if (!found) {
      throw new StowageError(`no installed requirements exporter implements ${named} (needed for replicate_local_python_environment)`, {
        code: 'PLUGIN_NOT_INSTALLED',
        hint: `install a plugin whose exporter handles ${named} (${named === 'pip_freeze' ? '@stowage/exporter-pip' : '@stowage/exporter-poetry'}) and add it to plugins:`,
      });
    }
    return withoutLocalRequirements(await found.exporter.exportEnvironment!(named, ctx));
  }

  async exportPyproject(directory: string, command: readonly string[] | undefined, ctx: ExportContext): Promise<ExportResult> {
    if (command) {
      // `{directory}` is the only placeholder; other braces are left alone (ZenML used str.format).
      const argv = command.map((a) => a.replaceAll('{directory}', directory));
      return withoutLocalRequirements(await this.runCustom(argv, directory, 'pyproject export', ctx.signal));
    }
    const ordered = this.exporters.filter((e) => e.definition.pyproject && e.exporter.exportPyproject).sort((a, b) => a.definition.pyproject!.priority - b.definition.pyproject!.priority);
    const failures: string[] = ordered.length ? [] : ['no installed requirements exporter handles pyproject exports (e.g. @stowage/exporter-uv, @stowage/exporter-poetry)'];
    for (const e of ordered) {
      try {
        return withoutLocalRequirements(await e.exporter.exportPyproject!(directory, ctx));
      } catch (error) {
        failures.push(describeFailure(e.definition.name, error));
      }
    }
    throw new StowageError(`could not export the dependencies of ${directory}/pyproject.toml`, {
      code: 'REQUIREMENTS_EXPORT_FAILED',
      details: failures,
      hint: 'set `pyproject_export_command` to a command that prints requirements, e.g. [uv, export, --format=requirements-txt, "--directory={directory}"]',
    });
  }

  private async runCustom(argv: readonly string[], cwd: string, what: string, signal?: AbortSignal): Promise<ExportResult> {
    try {
      const { stdout } = await this.runner.run({ command: argv, cwd, signal });
      return { requirements: stdout, command: describeCommand(argv) };
    } catch (error) {
      throw new StowageError(`${what} with \`${describeCommand(argv)}\` failed`, {
        code: 'REQUIREMENTS_EXPORT_FAILED',
        cause: error,
        details: StowageError.isInstance(error) ? [error.message, ...error.details] : [String(error)],
      });
    }
  }
}

/**
 * Editable and local-path requirements (`-e .`, `file:…`, `./pkg`) cannot be installed in an
 * image: the host leaves them out of every export and reports them (install the project with
 * `local_project_install_command` instead).
 */
function withoutLocalRequirements(result: ExportResult): ExportResult {
  const { requirements, dropped } = filterLocalRequirements(result.requirements);
  return { ...result, requirements, dropped: [...(result.dropped ?? []), ...dropped] };
}

function describeFailure(name: string, error: unknown): string {
  if (!StowageError.isInstance(error)) return `${name}: ${String(error)}`;
  const detail = error.details.length ? `: ${error.details.join(' | ')}` : '';
  return `${name}: ${error.message}${detail}`;
}
