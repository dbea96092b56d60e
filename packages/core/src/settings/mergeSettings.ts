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

/** A field written as `null` or `""`: unset, as if no level had set it (ZenML treats both as "not given"). */
const isUnset = (v: unknown): boolean => v === null || v === undefined || v === '';

/**
 * Splits a settings mapping into the fields it sets and those it unsets (`null` or `""`, also in
 * its build configs): a step's `parent_image: null` removes the pipeline's value instead of being
 * ignored. Nulls inside user data (`python_package_installer_args`, `environment`, …) are kept.
 */
export function splitUnsetFields(settings: Readonly<Record<string, unknown>>): { raw: Record<string, unknown>; unset: string[] } {
  const raw: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (isUnset(v)) {
      if (v !== undefined) unset.push(k);
      continue;
    }
    if ((k === 'build_config' || k === 'parent_image_build_config') && isPlainObject(v)) {
      const entries = Object.entries(v);
      for (const [sub, x] of entries) if (isUnset(x) && x !== undefined) unset.push(`${k}.${sub}`);
      raw[k] = Object.fromEntries(entries.filter(([, x]) => !isUnset(x)));
    } else raw[k] = v;
  }
  return { raw, unset };
}

/** Removes unset fields (`a` or `build_config.a`) from merged settings. Inputs are not modified. */
export function withoutFields(merged: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...merged };
  for (const field of fields) {
    const [top, sub] = field.split('.') as [string, string | undefined];
    if (sub === undefined) delete out[top];
    else if (isPlainObject(out[top])) out[top] = Object.fromEntries(Object.entries(out[top]).filter(([k]) => k !== sub));
  }
  return out;
}
