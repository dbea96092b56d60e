import type { z } from 'zod';
import { didYouMean } from '../settings/suggestClosest.js';
import type { ConfigIssue, KeyPath } from './ConfigIssue.js';
import { caseInsensitiveEnumValues } from '../settings/caseInsensitiveEnum.js';

type AnySchema = z.ZodType;
interface SchemaDef {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  options?: AnySchema[];
  element?: AnySchema;
  valueType?: AnySchema;
  entries?: Record<string, string>;
  values?: unknown[];
  catchall?: AnySchema;
}

function def(schema: AnySchema): SchemaDef {
  return (schema as unknown as { def: SchemaDef }).def;
}

/** Strips optional/default/nullable/pipe wrappers. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = def(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault') s = d.innerType!;
    else if (d.type === 'pipe') s = d.out!;
    else break;
  }
  return s;
}

/** The values of a case-insensitive enum, under optional/default wrappers (before its pipe is unwrapped). */
function anyCaseValues(schema: AnySchema): readonly string[] | undefined {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const values = caseInsensitiveEnumValues(s);
    if (values) return values;
    const d = def(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault') s = d.innerType!;
    else return undefined;
  }
  return undefined;
}

/** The schema at a key path, following objects, records, arrays and (first matching) unions. */
export function schemaAt(schema: AnySchema, path: KeyPath): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(schema);
  for (const key of path) {
    if (!s) return undefined;
    const d = def(s);
    if (d.type === 'object') s = d.shape?.[String(key)] ?? d.catchall;
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'union') s = d.options?.map((o) => schemaAt(o, [key])).find(Boolean);
    else return undefined;
    if (s) s = unwrap(s);
  }
  return s;
}

/** A short human description of what a schema accepts: "a string or a list of strings". */
export function describeExpected(schema: AnySchema | undefined): string {
  if (!schema) return 'a valid value';
  const anyCase = anyCaseValues(schema);
  if (anyCase) return `one of ${anyCase.map((v) => JSON.stringify(v)).join(', ')} (any case)`;
  const s = unwrap(schema);
  const d = def(s);
  switch (d.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'enum':
      return `one of ${Object.values(d.entries ?? {}).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'literal':
      return (d.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'array':
      return `a list of ${describeExpected(d.element).replace(/^an? /, '')}s`.replace(/ss$/, 's');
    case 'record':
      return 'a mapping';
    case 'object':
      return 'a mapping';
    case 'union':
      return (d.options ?? []).map((o) => describeExpected(o)).join(' or ');
    default:
      return 'a valid value';
  }
}

function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // Whole, never shortened: redaction must be able to match a substituted secret in it.
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** Converts zod issues into ConfigIssues with full key paths, clear expectations and "did you mean". */
export function issuesFromZod(
  error: z.ZodError,
  schema: AnySchema,
  input: unknown,
  basePath: KeyPath = [],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const owner = schemaAt(schema, path);
      const known = owner && def(owner).type === 'object' ? Object.keys(def(owner).shape ?? {}) : [];
      for (const key of issue.keys) {
        const hint = didYouMean(key, known);
        out.push({
          path: [...basePath, ...path, key],
          message: `unknown key "${key}"${hint ? `; ${hint}` : ''}`,
          hint: hint ? undefined : known.length ? `valid keys: ${known.join(', ')}` : undefined,
        });
      }
      continue;
    }
    const value = valueAt(input, path);
    if (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value') {
      const expected = describeExpected(schemaAt(schema, path));
      const key = path.at(-1);
      const message =
        value === undefined && typeof key === 'string'
          ? `missing required key "${key}" (${expected})`
          : `expected ${expected}, got ${value === undefined ? 'nothing' : received(value)}`;
      out.push({ path: [...basePath, ...path], message });
      continue;
    }
    out.push({ path: [...basePath, ...path], message: issue.message });
  }
  return out;
}
