import { z } from 'zod';
import { renderedAsText } from '../config/writtenText.js';
import { caseInsensitiveEnum } from './caseInsensitiveEnum.js';

/**
 * The DockerSettings model (ZenML's `DockerSettings`, late-2025 baseline), in the snake_case
 * spelling used by YAML. The camelCase TS API converts to these keys before parsing, so one
 * schema stands behind both (see `camelCase.ts`).
 */

const EnvValue = z
  .union([z.string(), z.number(), z.boolean()])
  .describe('A value for an environment variable; numbers and booleans are written as text.');
// In YAML, `11.0`, `3.10` or `yes` here keep the text they were written as.
renderedAsText.add(EnvValue, {});

export const DockerBuildConfigSchema = z
  .object({
    build_options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        'Options passed to the image builder, with docker-py `images.build` names (e.g. `buildargs`, `target`, `platform`, `pull`, `labels`, `network_mode`).',
      ),
    builder_options: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .default({})
      .describe(
        'Options only one image builder flavor understands, under its flavor name (e.g. `local: {...}`); checked by that builder. Other flavors ignore them.',
      ),
    dockerignore: z
      .string()
      .optional()
      .describe('Path to a .dockerignore file that replaces the one in the build context root (relative to the config file).'),
  })
  .strict()
  .describe('How one image is built: builder options and the .dockerignore to use.');

export const PYTHON_PACKAGE_INSTALLERS = ['uv', 'pip'] as const;
export const ENVIRONMENT_EXPORT_METHODS = ['pip_freeze', 'poetry_export'] as const;
export const SOURCE_FILE_MODES = ['download', 'include', 'download_or_include', 'ignore'] as const;

export const DockerSettingsSchema = z
  .object({
    parent_image: z
      .string()
      .min(1)
      .optional()
      .describe('Image to build on. Defaults to the stack/project default, else `python:<X.Y>-slim` for the pipeline Python version.'),
    image_tag: z
      .string()
      .min(1)
      .optional()
      .describe('Tag for the built image, used verbatim. Default: `<pipeline>[-<step>]-<12 hex of the checksum>`.'),
    dockerfile: z
      .string()
      .optional()
      .describe('Path to your own Dockerfile (relative to the config file). The parent image is then ignored.'),
    build_context_root: z
      .string()
      .optional()
      .describe('Build context for `dockerfile`. If empty, the context holds only the Dockerfile.'),
    parent_image_build_config: DockerBuildConfigSchema.optional().describe(
      'Build options and .dockerignore for the image built from `dockerfile`.',
    ),
    skip_build: z
      .boolean()
      .default(false)
      .describe('Use `parent_image` as-is: no requirements, apt packages, environment or code are added.'),
    prevent_build_reuse: z
      .boolean()
      .default(false)
      .describe('Always build, even when a matching earlier build exists. Not part of the checksum.'),
    target_repository: z
      .string()
      .min(1)
      .optional()
      .describe("Repository name without the registry; default: the registry's default repository, else `stowage`."),
    python_package_installer: caseInsensitiveEnum(PYTHON_PACKAGE_INSTALLERS)
      .default('uv')
      .describe('Installer for Python packages in the image: `uv` (default) or `pip`.'),
    python_package_installer_args: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .default({})
      .describe(
        'Arguments merged over the installer defaults: `null`/`true` renders `--key`, a value renders `--key=value`, `false` removes a default.',
      ),
    disable_automatic_requirements_detection: z
      .boolean()
      .default(true)
      .describe('When false, a `requirements.txt` (else `pyproject.toml`) in the source root is installed if no other Python source is given.'),
    replicate_local_python_environment: z
      .union([z.boolean(), caseInsensitiveEnum(ENVIRONMENT_EXPORT_METHODS), z.array(z.string()).min(1)])
      .optional()
      .describe(
        'Install the packages of the local Python environment: `true` (pip freeze), or the deprecated forms `pip_freeze`, `poetry_export` or a command list.',
      ),
    pyproject_path: z
      .string()
      .optional()
      .describe('A pyproject.toml whose dependencies are exported (uv, then poetry) and installed.'),
    pyproject_export_command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Command that prints requirements for `pyproject_path`; `{directory}` is replaced by its folder.'),
    requirements: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('Python requirements: a list of requirement lines, or a path to a requirements file (relative to the config file).'),
    required_integrations: z
      .array(z.string())
      .default([])
      .describe('Integrations whose requirements and apt packages are installed (e.g. `pytorch`, `mlflow`).'),
    install_stack_requirements: z
      .boolean()
      .default(true)
      .describe('Install the requirements the stack components declare.'),
    install_deployment_requirements: z
      .boolean()
      .default(true)
      .describe('Install the extra requirement files stack components contribute (e.g. a deployment server).'),
    local_project_install_command: z
      .string()
      .optional()
      .describe('Command run after the code is copied, e.g. `pip install . --no-deps`. Needs files included in the image.'),
    apt_packages: z.array(z.string()).default([]).describe('Debian packages installed with apt-get.'),
    environment: z
      .record(z.string(), EnvValue)
      .default({})
      .describe('Environment variables set before any package is installed (so e.g. `PIP_INDEX_URL` applies).'),
    runtime_environment: z
      .record(z.string(), EnvValue)
      .default({})
      .describe('Environment variables set last, after everything is installed; they do not affect installs.'),
    user: z.string().min(1).optional().describe('User the container runs as; it owns the code in /app.'),
    build_config: DockerBuildConfigSchema.optional().describe('Build options and .dockerignore for the generated image.'),
    allow_including_files_in_images: z
      .boolean()
      .default(true)
      .describe('Allow copying the source files into the image (last choice of the three code strategies).'),
    allow_download_from_code_repository: z
      .boolean()
      .default(true)
      .describe('Allow downloading code from a registered code repository (clean, pushed checkout).'),
    allow_download_from_artifact_store: z
      .boolean()
      .default(true)
      .describe('Allow uploading code to the artifact store and downloading it in the container.'),
    // Deprecated fields, accepted for compatibility, migrated and warned about in normalizeSettings.
    build_options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Deprecated: use `parent_image_build_config.build_options`.'),
    dockerignore: z.string().optional().describe('Deprecated: use `build_config.dockerignore`.'),
    copy_files: z.boolean().optional().describe('Deprecated and unused: use the `allow_*` code flags.'),
    copy_global_config: z.boolean().optional().describe('Deprecated and unused.'),
    source_files: caseInsensitiveEnum(SOURCE_FILE_MODES)
      .optional()
      .describe('Deprecated: use the three `allow_*` flags (migrated automatically).'),
    required_hub_plugins: z.array(z.string()).optional().describe('Deprecated and unused (the ZenML Hub is gone).'),
  })
  .strict()
  .describe('Docker settings: what the image for a pipeline or step needs.');

/** What a user writes (YAML spelling); every key optional. */
export type DockerSettingsInput = z.input<typeof DockerSettingsSchema>;
/** Parsed settings with defaults applied. */
export type DockerSettings = z.output<typeof DockerSettingsSchema>;
export type DockerBuildConfig = z.output<typeof DockerBuildConfigSchema>;

export const DEPRECATED_SETTINGS_KEYS = [
  'build_options',
  'dockerignore',
  'copy_files',
  'copy_global_config',
  'source_files',
  'required_hub_plugins',
] as const;

/** Resolved settings: deprecated keys migrated away. */
export type ResolvedDockerSettings = Omit<DockerSettings, (typeof DEPRECATED_SETTINGS_KEYS)[number]>;

export const DOCKER_SETTINGS_KEYS = Object.keys(DockerSettingsSchema.shape) as (keyof DockerSettings)[];
export const BUILD_CONFIG_KEYS = Object.keys(DockerBuildConfigSchema.shape);

/** Settings fields that hold paths, resolved against the config file's folder. */
export const PATH_FIELDS = ['dockerfile', 'build_context_root', 'pyproject_path'] as const;
