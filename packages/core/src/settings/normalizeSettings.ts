import type { ConfigIssue, ConfigSource, KeyPath } from '../config/ConfigIssue.js';
import { formatKeyPath } from '../config/ConfigIssue.js';
import { issuesFromZod } from '../config/zodIssues.js';
import type { Warning } from '@stowage/plugin-api';
import { isPlainObject } from './camelCase.js';
import { DockerSettingsSchema } from './DockerSettingsSchema.js';
import { splitUnsetFields } from './mergeSettings.js';
import { dockerfileSafetyIssues } from './dockerfileSafetyRules.js';
import { parseDockerPyBuildOptions } from '../resolve/dockerPyBuildOptions.js';

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
  /** Migrated deprecated keys: new dotted path → where it was written, so errors point there. */
  movedFrom?: Readonly<Record<string, KeyPath>>;
  /** Fields written as `null` or `""` (`a`, `build_config.a`): they unset what lower levels set. */
  unset?: readonly string[];
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
  const { raw, unset } = splitUnsetFields(level.raw);
  const warnings: Warning[] = [];
  const warn = (key: string, message: string): void => {
    warnings.push({ message, file: level.source.file, keyPath: formatKeyPath([...level.path, key]), line: level.source.lineOf?.([...level.path, key]) });
  };

  const parsed = DockerSettingsSchema.safeParse(raw);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : issuesFromZod(parsed.error, DockerSettingsSchema, raw, level.path).map((i) => ({ ...i, source: level.source }));
  issues.push(...dockerfileSafetyIssues(raw, level.path).map((i) => ({ ...i, source: level.source })));
  issues.push(...buildOptionIssues(raw, level));
  if (issues.length) return { ...level, raw, issues, warnings, unset };

  const out = { ...raw };
  const movedFrom = migrateDeprecatedKeys(out, warn);
  return { ...level, raw: out, issues, warnings, movedFrom, unset };
}

type Warn = (key: string, message: string) => void;

/** ZenML's migrations of deprecated keys, one warning each; returns where each moved value came from. */
function migrateDeprecatedKeys(out: Record<string, unknown>, warn: Warn): Record<string, KeyPath> {
  const movedFrom: Record<string, KeyPath> = {};
  if (migrateSourceFiles(out, warn)) for (const flag of ALLOW_FLAGS) movedFrom[flag] = ['source_files'];
  if (moveInto(out, 'build_options', 'parent_image_build_config', warn)) movedFrom['parent_image_build_config.build_options'] = ['build_options'];
  if (moveInto(out, 'dockerignore', 'build_config', warn)) movedFrom['build_config.dockerignore'] = ['dockerignore'];
  const replicate = out.replicate_local_python_environment;
  if (typeof replicate === 'string' || Array.isArray(replicate)) {
    warn('replicate_local_python_environment', 'deprecated form: use `true` for pip freeze, or `pyproject_path` + `pyproject_export_command` for other tools');
  }
  for (const key of ['copy_files', 'copy_global_config', 'required_hub_plugins'] as const) {
    if (out[key] === undefined) continue;
    warn(key, `deprecated and unused: \`${key}\` is ignored${key === 'copy_files' ? '; use the `allow_*` code flags' : ''}`);
    delete out[key];
  }
  return movedFrom;
}

/** `dockerignore` → `build_config.dockerignore` (unless set there): true when the value moved. */
function moveInto(out: Record<string, unknown>, key: 'build_options' | 'dockerignore', parent: 'build_config' | 'parent_image_build_config', warn: Warn): boolean {
  if (out[key] === undefined) return false;
  const config = isPlainObject(out[parent]) ? out[parent] : {};
  warn(key, `deprecated: use \`${parent}.${key}\` (migrated)`);
  const moves = config[key] === undefined;
  if (moves) out[parent] = { ...config, [key]: out[key] };
  delete out[key];
  return moves;
}

/** docker-py `build_options` (ZenML's bag) are mapped to typed BuildOptions here, at load time, with key paths. */
function buildOptionIssues(raw: Record<string, unknown>, level: SettingsLevel): ConfigIssue[] {
  const places: KeyPath[] = [['build_options'], ['build_config', 'build_options'], ['parent_image_build_config', 'build_options']];
  return places.flatMap((place) => {
    const value = place.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key as string] : undefined), raw);
    if (!isPlainObject(value)) return [];
    return parseDockerPyBuildOptions(value).issues.map((i) => ({ ...i, path: [...level.path, ...place, ...i.path], source: level.source }));
  });
}

// ZenML's `_migrate_source_files`: maps the old mode onto the three allow_* flags (true when it did).
function migrateSourceFiles(out: Record<string, unknown>, warn: Warn): boolean {
  // Any case, as the schema accepts it (`Include`).
  const mode = typeof out.source_files === 'string' ? out.source_files.toLowerCase() : out.source_files;
  if (mode === undefined) return false;
  delete out.source_files;
  if (ALLOW_FLAGS.some((f) => f in out)) {
    warn('source_files', `both \`source_files\` and one of ${ALLOW_FLAGS.join(', ')} are set; ignoring \`source_files\``);
    return false;
  }
  warn('source_files', 'deprecated: use the `allow_*` code flags (migrated)');
  out.allow_including_files_in_images = mode === 'include' || mode === 'download_or_include';
  out.allow_download_from_code_repository = mode === 'download' || mode === 'download_or_include';
  out.allow_download_from_artifact_store = false;
  return true;
}
