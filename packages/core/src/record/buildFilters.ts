import { StowageError } from '@stowage/plugin-api';
import type { PipelineBuild } from '../model/PipelineBuild.js';

/** ZenML's GenericFilterOps; a value without `op:` means equals. */
export const FILTER_OPS = ['equals', 'contains', 'startswith', 'endswith', 'gt', 'gte', 'lt', 'lte'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

type FieldKind = 'text' | 'number' | 'date' | 'boolean';

interface FilterField {
  kind: FieldKind;
  help: string;
  read(b: PipelineBuild): string | number | boolean;
}

/** Fields `stowage builds list --<field>` filters on, and how to read them from a build. */
export const FILTER_FIELDS: Record<string, FilterField> = {
  id: { kind: 'text', help: "build id (e.g. 'startswith:ab53')", read: (b) => b.id },
  pipeline: { kind: 'text', help: 'pipeline name', read: (b) => b.pipeline },
  stack_name: { kind: 'text', help: 'stack name', read: (b) => b.stack.name },
  stack_checksum: { kind: 'text', help: 'stack checksum', read: (b) => b.stack.checksum },
  checksum: { kind: 'text', help: 'build checksum', read: (b) => b.checksum },
  created: { kind: 'date', help: "creation time, ISO 8601 (e.g. 'gte:2026-11-01')", read: (b) => b.created },
  is_local: { kind: 'boolean', help: 'built without a registry (true/false)', read: (b) => b.isLocal },
  contains_code: { kind: 'boolean', help: 'images contain the code (true/false)', read: (b) => b.containsCode },
  tool_version: { kind: 'text', help: 'Stowage version that built it', read: (b) => b.toolVersion },
  python_version: { kind: 'text', help: 'Python X.Y of the default parent image', read: (b) => b.pythonVersion },
  duration: { kind: 'number', help: "build time in seconds (e.g. 'gt:60')", read: (b) => b.durationSeconds },
  images: { kind: 'number', help: "number of images (e.g. 'gte:2')", read: (b) => b.images.length },
};

export interface BuildFilter {
  field: string;
  op: FilterOp;
  value: string;
}

const ORDERED: readonly FilterOp[] = ['gt', 'gte', 'lt', 'lte'];
const ISO_DATE = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

export function parseFilter(field: string, expression: string): BuildFilter {
  const spec = FILTER_FIELDS[field];
  if (!spec) {
    throw new StowageError(`cannot filter builds by "${field}"`, { code: 'USAGE', hint: `filter fields: ${Object.keys(FILTER_FIELDS).join(', ')}` });
  }
  const m = /^([a-z]+):(.*)$/s.exec(expression);
  const filter: BuildFilter =
    m && (FILTER_OPS as readonly string[]).includes(m[1]!) ? { field, op: m[1] as FilterOp, value: m[2]! } : { field, op: 'equals', value: expression };
  checkValue(filter, spec.kind);
  return filter;
}

/** A comparison that cannot mean anything is bad input, not an empty result. */
function checkValue(f: BuildFilter, kind: FieldKind): void {
  const bad = (expected: string) =>
    new StowageError(`--${f.field.replaceAll('_', '-')} ${f.op}:${f.value}: expected ${expected}`, { code: 'USAGE', hint: `e.g. --${f.field.replaceAll('_', '-')} '${FILTER_FIELDS[f.field]!.help.match(/'([^']+)'/)?.[1] ?? 'equals:value'}'` });
  if (kind === 'number' && (f.value.trim() === '' || Number.isNaN(Number(f.value)))) throw bad('a number');
  if (kind === 'date' && ORDERED.includes(f.op) && (!ISO_DATE.test(f.value) || Number.isNaN(instantOf(f.value)))) throw bad('a date like 2026-11-01 or 2026-11-01T10:00:00Z');
  if (kind === 'boolean' && f.value !== 'true' && f.value !== 'false') throw bad('true or false');
  if (kind === 'boolean' && f.op !== 'equals') throw bad('equals:true or equals:false');
}

function compare(actual: string | number | boolean, value: string, kind: FieldKind): number {
  if (typeof actual === 'number') return actual - Number(value);
  // Dates compare as instants: `gte:2026-11-01T12:00:00+02:00` is 10:00 UTC, not text after "…T11".
  if (kind === 'date') return Date.parse(String(actual)) - instantOf(value);
  return String(actual).localeCompare(value);
}

/** An ISO 8601 date or time as milliseconds; without a zone it is UTC, as records are written. */
export function instantOf(value: string): number {
  const m = /^(\d{4}-\d{2})(-\d{2})?(?:[T ](\d{2})(:\d{2})?(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return Number.NaN;
  const [, month, day = '-01', hour = '00', minute = ':00', second = ':00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? zone : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  return Date.parse(`${month}${day}T${hour}${minute}${second}${offset}`);
}

export function matchesFilter(build: PipelineBuild, f: BuildFilter): boolean {
  const kind = FILTER_FIELDS[f.field]!.kind;
  const actual = FILTER_FIELDS[f.field]!.read(build);
  const text = String(actual);
  switch (f.op) {
    case 'equals':
      return text === f.value;
    case 'contains':
      return text.includes(f.value);
    case 'startswith':
      return text.startsWith(f.value);
    case 'endswith':
      return text.endsWith(f.value);
    case 'gt':
      return compare(actual, f.value, kind) > 0;
    case 'gte':
      return compare(actual, f.value, kind) >= 0;
    case 'lt':
      return compare(actual, f.value, kind) < 0;
    case 'lte':
      return compare(actual, f.value, kind) <= 0;
  }
}
