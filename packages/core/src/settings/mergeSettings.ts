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
 * A field written as `""`: unset, as if no level had set it (in ZenML an empty value is "not
 * given": `parent_image or DEFAULT`). `null` is dropped instead, as ZenML's merge does
 * (`ignore_none`): it keeps what a lower level set.
 */
const isUnset = (v: unknown): boolean => v === '';
const isDropped = (v: unknown): boolean => v === null || v === undefined;

/**
 * Splits a settings mapping into the fields it sets and those it unsets (`""`, also in its build
 * configs): a step's `parent_image: ""` returns to the default. `null` fields are dropped. Nulls
 * inside user data (`python_package_installer_args`, `build_options`) are kept.
 */
export function splitUnsetFields(settings: Readonly<Record<string, unknown>>): { raw: Record<string, unknown>; unset: string[] } {
  const raw: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (isDropped(v)) continue;
    if (isUnset(v)) {
      unset.push(k);
      continue;
    }
    if ((k === 'build_config' || k === 'parent_image_build_config') && isPlainObject(v)) {
      const entries = Object.entries(v).filter(([, x]) => !isDropped(x));
      for (const [sub, x] of entries) if (isUnset(x)) unset.push(`${k}.${sub}`);
      raw[k] = Object.fromEntries(entries.filter(([, x]) => !isUnset(x)));
    } else raw[k] = v;
  }
  return { raw, unset };
}

/** A whole config with the unset fields of its settings mappings removed: what the shape check sees. */
export function withoutUnsetSettings(config: unknown): unknown {
  if (!isPlainObject(config)) return config;
  const docker = (block: unknown) => (isPlainObject(block) && isPlainObject(block.docker) ? { ...block, docker: splitUnsetFields(block.docker).raw } : block);
  const steps = isPlainObject(config.steps)
    ? Object.fromEntries(Object.entries(config.steps).map(([name, step]) => [name, isPlainObject(step) ? { ...step, settings: docker(step.settings) } : step]))
    : config.steps;
  return { ...config, settings: docker(config.settings), ...(config.steps === undefined ? {} : { steps }) };
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
