import { z } from 'zod';

/** A string config value that is a credential: redacted wherever a config or stack is printed. */
export function secret(description = 'A credential (redacted when printed).') {
  return z.string().min(1).meta({ secret: true, writeOnly: true }).describe(description);
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

/** True for a schema made with `secret()`, also under `.optional()`, `.default()` or a pipe. */
export function isSecretSchema(schema: z.ZodType): boolean {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    if ((z.globalRegistry.get(s) as { secret?: boolean } | undefined)?.secret) return true;
    const def: SchemaDef = (s as unknown as { def: SchemaDef }).def;
    s = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return false;
}
