import type { z } from 'zod';
import { isPlainObject } from '../settings/camelCase.js';
import { isSecretSchema } from '../plugins/definePlugin.js';

interface ObjectDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  out?: z.ZodType;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    const def: ObjectDef = (s as unknown as { def: ObjectDef }).def;
    if (def.type === 'object') return def.shape;
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
    const shape = s ? objectShape(s) : undefined;
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(shape?.[k], item)]));
  };
  return { redacted: walk(schema, value), secrets };
}
