import type { z } from 'zod';
import { isPlainObject } from '../settings/camelCase.js';
import { isSecretSchema } from '@stowage/plugin-api';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  out?: z.ZodType;
}

/** The object/array/record definition under optional/default/pipe wrappers. */
function containerDef(schema: z.ZodType): SchemaDef | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    const def: SchemaDef = (s as unknown as { def: SchemaDef }).def;
    if (def.type === 'object' || def.type === 'array' || def.type === 'record') return def;
    s = def.innerType ?? (def.type === 'pipe' ? def.out : undefined);
  }
  return undefined;
}

/** Replaces values of secret-typed fields with `***` and reports the values it hid. */
export function redactConfig(schema: z.ZodType, value: unknown): { redacted: unknown; secrets: string[] } {
  const secrets: string[] = [];
  const walk = (s: z.ZodType | undefined, v: unknown): unknown => {
    if (s && isSecretSchema(s) && v !== undefined && v !== null) {
      secrets.push(String(v));
      return '***';
    }
    const def = s ? containerDef(s) : undefined;
    if (Array.isArray(v)) return v.map((item) => walk(def?.element, item));
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(def?.shape?.[k] ?? def?.valueType, item)]));
  };
  return { redacted: walk(schema, value), secrets };
}
