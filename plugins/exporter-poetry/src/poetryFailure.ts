import { StowageError } from '@stowage/plugin-api';
import { commandLine } from './commandLine.js';

/** cleo 2 (Poetry ≥ 1.2) and cleo 0.8 (Poetry 1.1) word an unknown option differently. */
const DIRECTORY_OPTION_MISSING = /option "--directory" does not exist|"--directory" option does not exist/;
const EXPORT_COMMAND_MISSING = /The command "export" does not exist/;

export type ExportOperation = 'pyproject' | 'environment';

// ZenML's wording for each: "Failed to export pyproject dependencies with command `<cmd>`: <stderr>"
// and "Unable to export local python packages."
const MESSAGES: Record<ExportOperation, (command: string) => string> = {
  pyproject: (command) => `Failed to export pyproject dependencies with command \`${command}\``,
  environment: (command) => `Unable to export local python packages: \`${command}\` failed`,
};

function detailsOf(error: unknown): string[] {
  return StowageError.isInstance(error) ? [error.message, ...error.details] : [String(error)];
}

/** Poetry releases without the global `-C/--directory` option (1.1 and older) reject ZenML's argv. */
export function isDirectoryOptionMissing(error: unknown): boolean {
  return DIRECTORY_OPTION_MISSING.test(detailsOf(error).join('\n'));
}

function poetryHint(output: string): string {
  if (EXPORT_COMMAND_MISSING.test(output)) {
    // Poetry 1.2+ moved export into poetry-plugin-export; Debian bookworm packages Poetry 1.3.2 without it.
    return 'this Poetry has no `export` command: install the export plugin (`poetry self add poetry-plugin-export`, or `pipx inject poetry poetry-plugin-export`), or use uv';
  }
  if (output.includes('command not found: poetry')) return 'install Poetry (https://python-poetry.org/docs/#installation) and put it on PATH';
  return 'run the command yourself to see the problem (is poetry.lock up to date?), or set `pyproject_export_command`';
}

/** A failed `poetry export`; `earlier` are detail lines placed before Poetry's output. */
export function exportFailure(operation: ExportOperation, argv: readonly string[], error: unknown, earlier: readonly string[] = []): StowageError {
  const details = [...earlier, ...detailsOf(error)];
  return new StowageError(MESSAGES[operation](commandLine(argv)), {
    code: 'REQUIREMENTS_EXPORT_FAILED',
    cause: error,
    details,
    hint: poetryHint(details.join('\n')),
  });
}

/** A missing folder would otherwise surface as "command not found" (spawn reports a bad cwd as ENOENT). */
export function pyprojectMissing(argv: readonly string[], pyproject: string): StowageError {
  return new StowageError(`${MESSAGES.pyproject(commandLine(argv))}: ${pyproject} does not exist`, {
    code: 'REQUIREMENTS_NOT_FOUND',
    hint: 'point `pyproject_path` at an existing pyproject.toml (relative to the config file)',
  });
}
