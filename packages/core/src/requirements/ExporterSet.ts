import { StowageError } from '@stowage/plugin-api';
import type { EnvironmentExportMethod, ExportContext, ExportResult, RequirementsExporter } from '../plugins/contracts.js';
import { describeCommand, type ProcessRunner } from '../process/ProcessRunner.js';

/** ZenML's default pyproject export order: uv, then poetry; the first that succeeds wins. */
export const DEFAULT_PYPROJECT_EXPORTERS = ['uv', 'poetry'] as const;

const EXPORTER_PACKAGES: Record<string, string> = {
  pip: '@stowage/exporter-pip',
  uv: '@stowage/exporter-uv',
  poetry: '@stowage/exporter-poetry',
};

/**
 * The requirement exporters contributed by plugins, and the two export operations the
 * requirement sources need. Custom commands (list form) run without a shell.
 */
export class ExporterSet {
  private readonly byName = new Map<string, RequirementsExporter>();

  constructor(
    private readonly runner: ProcessRunner,
    exporters: Iterable<RequirementsExporter> = [],
  ) {
    for (const e of exporters) this.byName.set(e.name, e);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  private require(name: string, why: string): RequirementsExporter {
    const found = this.byName.get(name);
    if (found) return found;
    const pkg = EXPORTER_PACKAGES[name] ?? `a plugin providing the "${name}" exporter`;
    throw new StowageError(`no "${name}" requirements exporter is installed (needed for ${why})`, {
      code: 'PLUGIN_NOT_INSTALLED',
      hint: `install ${pkg} and add it to plugins:`,
    });
  }

  async exportEnvironment(method: EnvironmentExportMethod, ctx: ExportContext): Promise<ExportResult> {
    if (Array.isArray(method)) return this.runCustom(method as readonly string[], ctx.projectRoot, 'local environment export', ctx.signal);
    const name = method === 'poetry_export' ? 'poetry' : 'pip';
    const exporter = this.require(name, 'replicate_local_python_environment');
    if (!exporter.exportEnvironment) throw this.unsupported(name, 'local environment export');
    return exporter.exportEnvironment(method, ctx);
  }

  async exportPyproject(directory: string, command: readonly string[] | undefined, ctx: ExportContext): Promise<ExportResult> {
    if (command) {
      // `{directory}` is the only placeholder; other braces are left alone (ZenML used str.format).
      const argv = command.map((a) => a.replaceAll('{directory}', directory));
      return this.runCustom(argv, directory, 'pyproject export', ctx.signal);
    }
    const failures: string[] = [];
    for (const name of DEFAULT_PYPROJECT_EXPORTERS) {
      const exporter = this.byName.get(name);
      if (!exporter?.exportPyproject) {
        failures.push(`${name}: not installed (${EXPORTER_PACKAGES[name]})`);
        continue;
      }
      try {
        return await exporter.exportPyproject(directory, undefined, ctx);
      } catch (error) {
        failures.push(describeFailure(name, error));
      }
    }
    throw new StowageError(`could not export the dependencies of ${directory}/pyproject.toml`, {
      code: 'REQUIREMENTS_EXPORT_FAILED',
      keyPath: 'settings.docker.pyproject_path',
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

  private unsupported(name: string, what: string): StowageError {
    return new StowageError(`the "${name}" exporter does not support ${what}`, { code: 'PLUGIN_INVALID' });
  }
}

function describeFailure(name: string, error: unknown): string {
  if (!StowageError.isInstance(error)) return `${name}: ${String(error)}`;
  const detail = error.details.length ? `: ${error.details.join(' | ')}` : '';
  return `${name}: ${error.message}${detail}`;
}
