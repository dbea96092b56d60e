import { isPlainObject } from './camelCase.js';

/**
 * Field-level deep merge (ZenML's `recursive_update`): mappings merge key by key, lists and
 * scalars in `override` replace those in `base`. Inputs are not modified.
 */
export function deepMerge(
  base: Readonly<Record<string, unknown>>,
  override: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/**
 * Removes `null` fields of a settings mapping (and of its build configs), as ZenML drops `None`
 * values before merging. Nulls inside user data (`python_package_installer_args`, …) are kept.
 */
export function dropNullFields(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (v === null || v === undefined) continue;
    out[k] =
      (k === 'build_config' || k === 'parent_image_build_config') && isPlainObject(v)
        ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined))
        : v;
  }
  return out;
}
