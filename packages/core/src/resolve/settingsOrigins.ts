import { formatKeyPath, type KeyPath } from '../config/ConfigIssue.js';
import type { FieldOrigin } from '../model/origin.js';
import type { SettingsOrigins } from '../model/resolved.js';
import type { NormalizedLevel } from '../settings/normalizeSettings.js';

/**
 * Origins of the fields of one resolved settings object: the highest-precedence level that set a
 * field (for nested mappings, the level that set that nested key); a default points at where it
 * would be written in the deepest level.
 */
export function settingsOrigins(levels: readonly NormalizedLevel[], stepName: string | undefined): SettingsOrigins {
  const deepest = levels.at(-1);
  const levelName = (level: NormalizedLevel) => (level.path[0] === 'steps' ? `step ${String(level.path[1])}` : 'pipeline');
  const at = (level: NormalizedLevel, relative: KeyPath): FieldOrigin => {
    const path = [...level.path, ...written(level, relative)];
    return { file: level.source.file, line: level.source.lineOf?.(path), keyPath: formatKeyPath(path), level: levelName(level) };
  };
  return {
    of(field, ...subPath) {
      // Levels above the one that unset the field (`null` / `""`) are all that count.
      const unsetAt = levels.findLastIndex((l) => l.unset?.includes(field));
      const live = levels.slice(unsetAt + 1);
      for (let depth = subPath.length; depth >= 0; depth--) {
        const probe = [field, ...subPath.slice(0, depth)];
        const level = [...live].reverse().find((l) => hasPath(l.raw, probe));
        if (level) return at(level, [field, ...subPath]);
      }
      const fallback: KeyPath = deepest?.path ?? (stepName ? ['steps', stepName, 'settings', 'docker'] : ['settings', 'docker']);
      const keyPath = formatKeyPath([...fallback, field, ...subPath]);
      return { file: deepest?.source.file, line: deepest?.source.lineOf?.(fallback), keyPath, level: 'default' };
    },
  };
}

/** Where a path of a level was written: a migrated deprecated key points at the old key. */
function written(level: NormalizedLevel, path: KeyPath): KeyPath {
  for (let depth = path.length; depth > 0; depth--) {
    const moved = level.movedFrom?.[path.slice(0, depth).join('.')];
    if (moved) return [...moved, ...path.slice(depth)];
  }
  return path;
}

function hasPath(raw: Record<string, unknown>, path: readonly (string | number)[]): boolean {
  let node: unknown = raw;
  for (const part of path) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node !== undefined;
}
