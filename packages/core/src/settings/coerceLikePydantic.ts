import type { z } from 'zod';
import { alternatives, itemSchema, kindsOf, memberSchema } from '../config/schemaShape.js';
import { isPlainObject } from './camelCase.js';

// pydantic's lax str → bool (case-insensitive): what `skip_build: ${SKIP}` accepts in ZenML.
const TRUE_TEXT = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_TEXT = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Text (typically a `${VAR}` result) where a field takes a boolean or number and no text is
 * accepted there becomes that boolean or number, as pydantic's lax mode does; anything else is
 * left for the schema to refuse with its key path.
 */
export function coerceLikePydantic(value: unknown, schema: z.ZodType | undefined): unknown {
  if (typeof value === 'string') return coerceText(value, schema);
  if (Array.isArray(value)) return value.map((item) => coerceLikePydantic(item, itemSchema(schema)));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerceLikePydantic(item, memberSchema(schema, key))]));
}

function coerceText(text: string, schema: z.ZodType | undefined): unknown {
  const kinds = kindsOf(schema);
  if (!kinds.has('boolean') && !kinds.has('number')) return text;
  if (alternatives(schema).some((alt) => alt.safeParse(text).success)) return text;
  const lower = text.trim().toLowerCase();
  if (kinds.has('boolean') && TRUE_TEXT.has(lower)) return true;
  if (kinds.has('boolean') && FALSE_TEXT.has(lower)) return false;
  if (kinds.has('number') && NUMBER_TEXT.test(text.trim())) return Number(text);
  return text;
}
