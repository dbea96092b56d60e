/** `replicate_local_python_environment`: true, a named method, or a command (argv). */
export type EnvironmentExportMethod = true | 'pip_freeze' | 'poetry_export' | readonly string[];

export interface ExportContext {
  /** The project folder (config file folder). */
  projectRoot: string;
  signal?: AbortSignal;
}

export interface ExportResult {
  /** requirements.txt text. */
  requirements: string;
  /** Lines removed from the export (editable / local-path requirements), with why. */
  dropped?: { line: string; reason: string }[];
  /** The command that produced it, for messages. */
  command: string;
}

/**
 * Exports requirements from a pyproject or the local environment. Failures are StowageErrors
 * without a key path: the host points them at the setting that asked for the export.
 */
export interface RequirementsExporter {
  exportPyproject?(directory: string, ctx: ExportContext): Promise<ExportResult>;
  exportEnvironment?(method: 'pip_freeze' | 'poetry_export', ctx: ExportContext): Promise<ExportResult>;
}

/** An entry of the integration catalog (`required_integrations`). */
export interface IntegrationDefinition {
  /** Lower-case name, e.g. `pytorch`. */
  name: string;
  requirements: readonly string[];
  aptPackages?: readonly string[];
  description?: string;
}
