import type { z } from 'zod';

/** What a position of a zod schema takes, read from the schema itself (no second table of field types). */
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schemas a value at this position may match: wrappers removed, unions spread. */
export function alternatives(schema: z.ZodType | undefined): z.ZodType[] {
  if (!schema) return [];
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return alternatives(def.innerType);
  // A transform's input is what users write: `z.string().transform(…)` takes a string.
  if (def.type === 'pipe') return alternatives(def.in && defOf(def.in).type !== 'transform' ? def.in : def.out);
  if (def.type === 'lazy' && def.getter) return alternatives(def.getter());
  if (def.type === 'union') return (def.options ?? []).flatMap(alternatives);
  return [schema];
}

export function kindsOf(schema: z.ZodType | undefined): Set<string> {
  return new Set(alternatives(schema).map((s) => defOf(s).type));
}

/** The schema of key `key` of a mapping at this position (undefined: anything goes). */
export function memberSchema(schema: z.ZodType | undefined, key: string): z.ZodType | undefined {
  for (const alt of alternatives(schema)) {
    const def = defOf(alt);
    if (def.type === 'object') return def.shape?.[key] ?? def.catchall;
    if (def.type === 'record') return def.valueType;
  }
  return undefined;
}

/** The schema of the items of a list at this position. */
export function itemSchema(schema: z.ZodType | undefined): z.ZodType | undefined {
  for (const alt of alternatives(schema)) {
    const def = defOf(alt);
    if (def.type === 'array') return def.element;
  }
  return undefined;
}
