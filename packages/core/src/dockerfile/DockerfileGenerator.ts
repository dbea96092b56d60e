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
 * Folder of the build context holding the source files, so the generated Dockerfile never joins
 * them in /app. It sorts after `Dockerfile`, which a builder can then find at the archive's start.
 */
export const CODE_CONTEXT_DIR = 'stowage_code';

// uv ignores pip's variables: an index set for pip (the seed's private-PyPI example) is passed on.
const UV_FROM_PIP = { UV_INDEX_URL: 'PIP_INDEX_URL', UV_EXTRA_INDEX_URL: 'PIP_EXTRA_INDEX_URL', UV_INSECURE_HOST: 'PIP_TRUSTED_HOST' } as const;

type Located = <T>(field: string, run: () => T) => T;

/**
 * Generates the Dockerfile for an image Stowage builds (pure). Order: FROM, WORKDIR, build-time
 * ENV (before installs, so e.g. PIP_INDEX_URL applies), apt, installer bootstrap, one COPY + RUN
 * per requirements file, code (after the dependency layers so code edits keep them cached), local
 * project install, ownership of /app, USER, runtime ENV last.
 */
export function generateDockerfile(spec: DockerfileSpec): string {
  const s = spec.settings;
  const origin = (field: string): FieldOrigin => spec.originOf?.(field) ?? { keyPath: `settings.docker.${field}`, level: 'default' };
  const at = (field: string): string => origin(field).keyPath;
  // A value error names the file and line the field was written at (its key path is the value's own).
  const located: Located = (field, run) => atOrigin(fileOnly(origin(field)), run);
  const user = s.user ? located('user', () => userName(at('user'), s.user!)) : undefined;
  const lines = [`FROM ${located('parent_image', () => imageReference(at('parent_image'), spec.parentImage))}`, `WORKDIR ${IMAGE_WORKDIR}`];
  lines.push(...located('environment', () => envLines(s.environment, at('environment'))));
  const apt = located('apt_packages', () => unique(spec.aptPackages).map((p, i) => aptPackage(`${at('apt_packages')}[${i}]`, p)));
  if (apt.length) lines.push(`RUN apt-get update && apt-get install -y --no-install-recommends ${apt.join(' ')} && rm -rf /var/lib/apt/lists/*`);
  lines.push(...installLines(spec, located, at));
  lines.push(...codeDownloadLines(spec));
  if (spec.includeCode) lines.push(`COPY ${CODE_CONTEXT_DIR}/ ./`);
  if (s.local_project_install_command) {
    lines.push(`RUN ${located('local_project_install_command', () => runCommand(at('local_project_install_command'), s.local_project_install_command!))}`);
  }
  // ZenML makes the user own /app and everything in it (`chown -R`), so the step can write its
  // working directory. Not `COPY --chown=<user>`: the classic builder then also wants a group of
  // that name (Debian's `nobody` has none), and /app itself and what the local install wrote
  // would stay root's.
  if (user) lines.push(`RUN chown -R ${user} ${IMAGE_WORKDIR}`, `USER ${user}`);
  lines.push(...located('runtime_environment', () => envLines(s.runtime_environment, at('runtime_environment'))));
  return `${lines.join('\n')}\n`;
}

function installLines(spec: DockerfileSpec, located: Located, at: (field: string) => string): string[] {
  const s = spec.settings;
  if (!spec.requirementFiles.length) return [];
  const installer = s.python_package_installer;
  const args = located('python_package_installer_args', () =>
    installerArgs(at('python_package_installer_args'), { ...INSTALLER_DEFAULT_ARGS[installer], ...s.python_package_installer_args }),
  );
  const command = installer === 'uv' ? [...uvIndexFromPip(s.environment), 'uv pip install'] : ['pip install'];
  const lines = installer === 'uv' ? ['RUN pip install --no-cache-dir uv'] : [];
  for (const file of spec.requirementFiles) lines.push(`COPY ${file.name} .`, `RUN ${[...command, ...args, '-r', file.name].join(' ')}`);
  return lines;
}

/** `UV_INDEX_URL="$PIP_INDEX_URL" …` for the pip index settings the image's environment has and uv's do not. */
export function uvIndexFromPip(environment: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(UV_FROM_PIP)
    .filter(([uv, pip]) => environment[pip] !== undefined && environment[uv] === undefined)
    .map(([uv, pip]) => `${uv}="$${pip}"`);
}

/** The bootstrap that downloads the code when the container starts (the launch spec runs it). */
function codeDownloadLines(spec: DockerfileSpec): string[] {
  if (!spec.codeDownload) return [];
  // The plan cannot see inside a parent image: a parent without python3 fails here, at once, saying why.
  const check = `command -v python3 >/dev/null 2>&1 || { echo 'stowage: this image has no python3, which downloading the code at run time needs' >&2; exit 1; }`;
  return [`COPY ${BOOTSTRAP_FILE_NAME} ${BOOTSTRAP_PATH_IN_IMAGE}`, `RUN ${check}`, `ENV STOWAGE_CODE_SOURCE="${spec.codeDownload}"`];
}
