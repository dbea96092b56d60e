import type { Warning } from '@stowage/plugin-api';
import { formatKeyPath } from '../config/ConfigIssue.js';
import { isPlainObject } from '../settings/camelCase.js';
import type { SettingsLevel } from '../settings/normalizeSettings.js';

const BAKED_FIELDS = ['environment', 'runtime_environment'] as const;

/**
 * `environment` and `runtime_environment` become ENV lines of the image: a value substituted from
 * a credential-looking `${VAR}` (HF_TOKEN, a registry password, …) is then readable by anyone who
 * can pull the image. One warning per such key, where it was written.
 */
export function bakedCredentialWarnings(levels: readonly SettingsLevel[], secrets: readonly string[]): Warning[] {
  const credentials = secrets.filter((s) => s.length >= 4);
  if (!credentials.length) return [];
  const warnings: Warning[] = [];
  for (const level of new Set(levels)) {
    for (const field of BAKED_FIELDS) {
      const vars = level.raw[field];
      if (!isPlainObject(vars)) continue;
      for (const [name, value] of Object.entries(vars)) {
        if (!credentials.some((c) => String(value).includes(c))) continue;
        const path = [...level.path, field, name];
        warnings.push({
          message: `a credential substituted from a \${VAR} is baked into the image (${field}): anyone who can pull the image can read it. Pass it to the step when it runs instead; for what the build itself needs (a private index), use build secrets (coming next)`,
          file: level.source.file,
          line: level.source.lineOf?.(path),
          keyPath: formatKeyPath(path),
        });
      }
    }
  }
  return warnings;
}
