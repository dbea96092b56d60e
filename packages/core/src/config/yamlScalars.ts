import { visit, type Document, type ScalarTag, type Tags } from 'yaml';
import type { z } from 'zod';
import { isPlainObject } from '../settings/camelCase.js';
import { itemSchema, kindsOf, memberSchema } from './schemaShape.js';
import { renderedAsText } from './writtenText.js';

/** A plain scalar YAML resolved to a number, boolean or date, with the text it was written as. */
class WrittenScalar {
  constructor(
    readonly value: unknown,
    readonly text: string,
  ) {}
}

// PyYAML's booleans (resolver.py): YAML 1.1's list without `y`/`n`, which the yaml library includes.
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** The yaml library's YAML 1.1 tags with PyYAML's booleans. */
export function pyyamlTags(tags: Tags): Tags {
  const isBool = (t: Tags[number]) => typeof t === 'object' && t.tag === 'tag:yaml.org,2002:bool';
  const bool = (value: boolean, test: RegExp): ScalarTag => ({ tag: 'tag:yaml.org,2002:bool', default: true, identify: (v) => v === value, test, resolve: () => value });
  return [bool(true, PYYAML_TRUE), bool(false, PYYAML_FALSE), ...tags.filter((t) => !isBool(t))];
}

/**
 * Keeps the written text of every plain scalar that is not a string: a mapping key becomes that
 * text (`ON:` is the name `ON`, not `true` as in PyYAML), a value is wrapped so the text survives
 * `toJS`, aliases and merges included, until `fitToSchema` picks text or value.
 */
export function keepWrittenText(doc: Document): void {
  visit(doc, {
    Scalar(key, node) {
      const { value, source } = node;
      const typed = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value instanceof Date;
      if (!typed || typeof source !== 'string') return;
      node.value = key === 'key' ? source : new WrittenScalar(value, source);
    },
  });
}

/**
 * Turns wrapped scalars back into values, fitted to `schema` as ZenML's loader would: text where the
 * field takes text (`11.0` stays `11.0`), the value elsewhere; `null` dropped where the field has
 * no use for it (`remove_none_values` / `ignore_none` in ZenML), kept in user data that takes it.
 */
export function fitToSchema(value: unknown, schema: z.ZodType | undefined): unknown {
  if (value instanceof WrittenScalar) return scalarFor(value, schema);
  if (Array.isArray(value)) return value.map((item) => fitToSchema(item, itemSchema(schema)));
  if (!isPlainObject(value)) return value;
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const member = memberSchema(schema, key);
    if (item === null && member && !takesNull(member)) continue;
    entries.push([key, fitToSchema(item, member)]);
  }
  // fromEntries defines keys: a `__proto__` key stays a key, for the reserved-key check to refuse.
  return Object.fromEntries(entries);
}

function takesNull(schema: z.ZodType): boolean {
  const kinds = kindsOf(schema);
  return kinds.has('null') || kinds.has('unknown') || kinds.has('any');
}

function scalarFor(s: WrittenScalar, schema: z.ZodType | undefined): unknown {
  // A date is text unless a field wants a date (none does): as YAML 1.2, which has no timestamps, read it.
  if (s.value instanceof Date) return s.text;
  if (schema && renderedAsText.has(schema)) return s.text;
  const kinds = kindsOf(schema);
  if (kinds.has('string') && (typeof s.value !== 'boolean' || !kinds.has('boolean'))) return s.text;
  return typeof s.value === 'bigint' ? Number(s.value) : s.value;
}
