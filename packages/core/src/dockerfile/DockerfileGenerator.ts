import { BOOTSTRAP_FILE_NAME, BOOTSTRAP_PATH_IN_IMAGE } from '../bootstrap/stowageBootstrap.js';
import { atOrigin } from '../model/atOrigin.js';
import type { FieldOrigin } from '../model/origin.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import {
  aptPackage,
  envName,
  envValue,
  imageReference,
  installerArgs,
  runCommand,
  userName,
} from './dockerfileValues.js';

export const IMAGE_WORKDIR = '/app';

/** The file and line of an origin, keeping the error's own (more precise) key path. */
function fileOnly(o: FieldOrigin): FieldOrigin {
  return { ...o, keyPath: '' };
}

// ZenML's PIP_DEFAULT_ARGS / UV_DEFAULT_ARGS. Departure: uv also gets `--system`, because
// Stowage's default parent (`python:X.Y-slim`) has no virtualenv and uv refuses to install
// outside one; `--system` uses the first python on PATH, so images that put a venv first on
// PATH still install into it. `python_package_installer_args: { system: false }` removes it.
export const INSTALLER_DEFAULT_ARGS = {
  pip: { 'no-cache-dir': null, 'default-timeout': 60 },
  uv: { system: null, 'no-cache-dir': null },
} as const satisfies Record<'pip' | 'uv', Record<string, string | number | null>>;

export interface RequirementFileRef {
  /** File name in the build context, e.g. `.stowage_user_requirements`. */
  name: string;
}

/** Everything the generated Dockerfile depends on. */
export interface DockerfileSpec {
  parentImage: string;
  settings: Pick<
    ResolvedDockerSettings,
    | 'environment'
    | 'runtime_environment'
    | 'python_package_installer'
    | 'python_package_installer_args'
    | 'local_project_install_command'
    | 'user'
  >;
  aptPackages: readonly string[];
  requirementFiles: readonly RequirementFileRef[];
  includeCode: boolean;
  /** Set when the container must fetch code before running (code repository / artifact store). */
  codeDownload?: 'code-repository' | 'artifact-store';
  /** Where a settings field was written, for errors about its value (default: `settings.docker.<field>`). */
  originOf?(field: string): FieldOrigin;
}


function envLines(vars: Record<string, string | number | boolean>, at: string): string[] {
  return Object.entries(vars).map(([k, v]) => `ENV ${envName(`${at}.${k}`, k)}=${envValue(`${at}.${k}`, String(v))}`);
}

/** First occurrence wins; ZenML did not de-duplicate apt packages. */
function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * Generates the Dockerfile for an image Stowage builds (pure). Order: FROM, WORKDIR, build-time
 * ENV (before installs, so e.g. PIP_INDEX_URL applies), apt, installer bootstrap, one COPY + RUN
 * per requirements file, code (after the dependency layers so code edits keep them cached), local
 * project install, USER, runtime ENV last.
 */
export function generateDockerfile(spec: DockerfileSpec): string {
  const s = spec.settings;
  const installer = s.python_package_installer;
  const origin = (field: string): FieldOrigin => spec.originOf?.(field) ?? { keyPath: `settings.docker.${field}`, level: 'default' };
  const at = (field: string): string => origin(field).keyPath;
  // A value error names the file and line the field was written at (its key path is the value's own).
  const located = <T>(field: string, run: () => T): T => atOrigin(fileOnly(origin(field)), run);
  const lines = [`FROM ${located('parent_image', () => imageReference(at('parent_image'), spec.parentImage))}`, `WORKDIR ${IMAGE_WORKDIR}`];
  lines.push(...located('environment', () => envLines(s.environment, at('environment'))));

  const apt = located('apt_packages', () => unique(spec.aptPackages).map((p, i) => aptPackage(`${at('apt_packages')}[${i}]`, p)));
  if (apt.length) {
    lines.push(
      `RUN apt-get update && apt-get install -y --no-install-recommends ${apt.join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  }

  if (spec.requirementFiles.length) {
    const args = located('python_package_installer_args', () =>
      installerArgs(at('python_package_installer_args'), { ...INSTALLER_DEFAULT_ARGS[installer], ...s.python_package_installer_args }),
    );
    const command = installer === 'uv' ? 'uv pip install' : 'pip install';
    if (installer === 'uv') lines.push('RUN pip install --no-cache-dir uv');
    for (const file of spec.requirementFiles) {
      lines.push(`COPY ${file.name} .`, `RUN ${[command, ...args, '-r', file.name].join(' ')}`);
    }
  }

  // The bootstrap that downloads the code when the container starts (the launch spec runs it).
  if (spec.codeDownload) {
    // The plan cannot see inside a parent image: a parent without python3 fails here, at once, saying why.
    const check = `command -v python3 >/dev/null 2>&1 || { echo 'stowage: this image has no python3, which downloading the code at run time needs' >&2; exit 1; }`;
    lines.push(`COPY ${BOOTSTRAP_FILE_NAME} ${BOOTSTRAP_PATH_IN_IMAGE}`, `RUN ${check}`, `ENV STOWAGE_CODE_SOURCE="${spec.codeDownload}"`);
  }
  const user = s.user ? located('user', () => userName(at('user'), s.user!)) : undefined;
  if (spec.includeCode) lines.push(user ? `COPY --chown=${user} . .` : 'COPY . .');
  if (s.local_project_install_command) {
    lines.push(`RUN ${located('local_project_install_command', () => runCommand(at('local_project_install_command'), s.local_project_install_command!))}`);
  }
  if (user) lines.push(`USER ${user}`);
  lines.push(...located('runtime_environment', () => envLines(s.runtime_environment, at('runtime_environment'))));
  return `${lines.join('\n')}\n`;
}
