import { z } from 'zod';

const letterClass = (c: string): string => (c.toLowerCase() === c.toUpperCase() ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${c.toLowerCase()}${c.toUpperCase()}]`);

/**
 * An enum written in any case (`PIP`, `Pip_Freeze`), as the CLI takes it, parsed to its lower-case
 * value. The pattern spells the cases out, so the JSON Schema editors check against accepts them too.
 */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const pattern = new RegExp(`^(?:${values.map((v) => [...v].map(letterClass).join('')).join('|')})$`);
  const schema = z
    .string()
    .regex(pattern, `expected one of ${values.map((v) => `"${v}"`).join(', ')} (any case)`)
    .transform((v) => v.toLowerCase() as T[number]);
  ENUM_VALUES.set(schema, values);
  return schema;
}

/** The values of each case-insensitive enum, so error messages can list them as for a plain enum. */
const ENUM_VALUES = new WeakMap<object, readonly string[]>();

export function caseInsensitiveEnumValues(schema: object): readonly string[] | undefined {
  return ENUM_VALUES.get(schema);
}
