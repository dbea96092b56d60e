import type { ConfigIssue, KeyPath } from '../config/ConfigIssue.js';
import { formatKeyPath } from '../config/ConfigIssue.js';
import type { Warning } from '@stowage/plugin-api';
import {
  DEPRECATED_SETTINGS_KEYS,
  DockerSettingsSchema,
  type ResolvedDockerSettings,
} from '../settings/DockerSettingsSchema.js';
import { deepMerge, withoutFields } from '../settings/mergeSettings.js';
import { type NormalizedLevel } from '../settings/normalizeSettings.js';
import { settingsRules } from '../settings/settingsRules.js';

export interface ResolvedSettings {
  settings: ResolvedDockerSettings;
  /** Top-level field → the level that set it last (for locating rule violations). */
  origins: Map<string, NormalizedLevel>;
  issues: ConfigIssue[];
  warnings: Warning[];
}

/**
 * Resolves settings from levels ordered lowest to highest precedence (pipeline YAML, pipeline
 * code, step YAML, step code): field-level deep merge, defaults, then cross-field rules.
 */
export function resolveSettings(levels: readonly NormalizedLevel[]): ResolvedSettings {
  const issues = levels.flatMap((l) => l.issues);
  const warnings: Warning[] = [];
  const origins = new Map<string, NormalizedLevel>();
  let merged: Record<string, unknown> = {};
  for (const level of levels) {
    // `null` / `""` unsets what a lower level set (a step's `parent_image: null` → the default).
    merged = deepMerge(withoutFields(merged, level.unset ?? []), level.raw);
    for (const key of level.unset ?? []) if (!key.includes('.')) origins.delete(key);
    for (const key of Object.keys(level.raw)) origins.set(key, level);
  }
  const parsed = DockerSettingsSchema.safeParse(merged);
  if (!parsed.success || issues.length) {
    // Shape issues were reported per level; a merged-shape failure can only follow from those.
    return { settings: DockerSettingsSchema.parse({}) as ResolvedDockerSettings, origins, issues, warnings };
  }
  const settings = { ...parsed.data } as Record<string, unknown>;
  for (const key of DEPRECATED_SETTINGS_KEYS) delete settings[key];
  const resolved = settings as ResolvedDockerSettings;

  const locate = (field: string): { path: KeyPath; level?: NormalizedLevel } => {
    const level = origins.get(field);
    return { path: level ? [...level.path, field] : [field], level };
  };
  for (const finding of settingsRules(resolved)) {
    const { path, level } = locate(finding.field);
    if (finding.severity === 'error') {
      issues.push({ path, message: finding.message, hint: finding.hint, source: level?.source });
    } else {
      warnings.push({
        message: finding.message,
        file: level?.source.file,
        keyPath: formatKeyPath(path),
        line: level?.source.lineOf?.(path),
      });
    }
  }
  return { settings: resolved, origins, issues, warnings };
}
