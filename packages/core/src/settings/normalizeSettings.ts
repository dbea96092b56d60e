import type { ConfigIssue, ConfigSource, KeyPath } from '../config/ConfigIssue.js';
import { formatKeyPath } from '../config/ConfigIssue.js';
import { issuesFromZod } from '../config/zodIssues.js';
import type { Warning } from '@stowage/plugin-api';
import { isPlainObject } from './camelCase.js';
import { DockerSettingsSchema } from './DockerSettingsSchema.js';
import { dropNullFields } from './mergeSettings.js';
import { dockerfileSafetyIssues } from './dockerfileSafetyRules.js';

/** Settings as one level (pipeline YAML, step YAML, code, …) wrote them: only explicitly set keys. */
export interface SettingsLevel {
  /** snake_case keys, `${VAR}` already substituted. */
  raw: Record<string, unknown>;
  source: ConfigSource;
  /** Key path of this settings mapping inside its source, e.g. `steps.train.settings.docker`. */
  path: KeyPath;
}

export interface NormalizedLevel extends SettingsLevel {
  issues: ConfigIssue[];
  warnings: Warning[];
}

const ALLOW_FLAGS = [
  'allow_including_files_in_images',
  'allow_download_from_code_repository',
  'allow_download_from_artifact_store',
] as const;

/**
 * Step 1 and 2 of shape → normalise → rules, for one level: validates the shape (strict, so an
 * unknown key is an issue with a suggestion) and migrates deprecated keys, with one warning each.
 */
export function normalizeSettingsLevel(level: SettingsLevel): NormalizedLevel {
  const raw = dropNullFields(level.raw);
  const warnings: Warning[] = [];
  const warn = (key: string, message: string): void => {
    warnings.push({ message, file: level.source.file, keyPath: formatKeyPath([...level.path, key]), line: level.source.lineOf?.([...level.path, key]) });
  };

  const parsed = DockerSettingsSchema.safeParse(raw);
  const issues = parsed.success
    ? []
    : issuesFromZod(parsed.error, DockerSettingsSchema, raw, level.path).map((i) => ({ ...i, source: level.source }));
  issues.push(...dockerfileSafetyIssues(raw, level.path).map((i) => ({ ...i, source: level.source })));
  if (issues.length) return { ...level, raw, issues, warnings };

  const out = { ...raw };
  migrateSourceFiles(out, warn);
  if (out.build_options !== undefined) {
    const pibc = isPlainObject(out.parent_image_build_config) ? out.parent_image_build_config : {};
    warn('build_options', 'deprecated: use `parent_image_build_config.build_options` (migrated)');
    if (pibc.build_options === undefined) out.parent_image_build_config = { ...pibc, build_options: out.build_options };
    delete out.build_options;
  }
  if (out.dockerignore !== undefined) {
    const bc = isPlainObject(out.build_config) ? out.build_config : {};
    warn('dockerignore', 'deprecated: use `build_config.dockerignore` (migrated)');
    if (bc.dockerignore === undefined) out.build_config = { ...bc, dockerignore: out.dockerignore };
    delete out.dockerignore;
  }
  const replicate = out.replicate_local_python_environment;
  if (typeof replicate === 'string' || Array.isArray(replicate)) {
    warn(
      'replicate_local_python_environment',
      'deprecated form: use `true` for pip freeze, or `pyproject_path` + `pyproject_export_command` for other tools',
    );
  }
  for (const key of ['copy_files', 'copy_global_config', 'required_hub_plugins'] as const) {
    if (out[key] === undefined) continue;
    warn(key, `deprecated and unused: \`${key}\` is ignored${key === 'copy_files' ? '; use the `allow_*` code flags' : ''}`);
    delete out[key];
  }
  return { ...level, raw: out, issues, warnings };
}

// ZenML's `_migrate_source_files`: maps the old mode onto the three allow_* flags.
function migrateSourceFiles(out: Record<string, unknown>, warn: (key: string, message: string) => void): void {
  const mode = out.source_files;
  if (mode === undefined) return;
  delete out.source_files;
  if (ALLOW_FLAGS.some((f) => f in out)) {
    warn('source_files', `both \`source_files\` and one of ${ALLOW_FLAGS.join(', ')} are set; ignoring \`source_files\``);
    return;
  }
  warn('source_files', 'deprecated: use the `allow_*` code flags (migrated)');
  out.allow_including_files_in_images = mode === 'include' || mode === 'download_or_include';
  out.allow_download_from_code_repository = mode === 'download' || mode === 'download_or_include';
  out.allow_download_from_artifact_store = false;
}
