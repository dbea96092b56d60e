import { StowageError } from '../errors.js';
import type { PipelineBuild } from './PipelineBuild.js';

/** ZenML's GenericFilterOps; a value without `op:` means equals. */
export const FILTER_OPS = ['equals', 'contains', 'startswith', 'endswith', 'gt', 'gte', 'lt', 'lte'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** Fields `stowage builds list --<field>` filters on, and how to read them from a build. */
export const FILTER_FIELDS: Record<string, (b: PipelineBuild) => string | number | boolean> = {
  id: (b) => b.id,
  pipeline: (b) => b.pipeline,
  stack_name: (b) => b.stack.name,
  stack_checksum: (b) => b.stack.checksum,
  checksum: (b) => b.checksum,
  created: (b) => b.created,
  is_local: (b) => b.isLocal,
  contains_code: (b) => b.containsCode,
  tool_version: (b) => b.toolVersion,
  python_version: (b) => b.pythonVersion,
  duration: (b) => b.durationSeconds,
  images: (b) => b.images.length,
};

export interface BuildFilter {
  field: string;
  op: FilterOp;
  value: string;
}

export function parseFilter(field: string, expression: string): BuildFilter {
  if (!(field in FILTER_FIELDS)) {
    throw new StowageError(`cannot filter builds by "${field}"`, { code: 'USAGE', hint: `filter fields: ${Object.keys(FILTER_FIELDS).join(', ')}` });
  }
  const m = /^([a-z]+):(.*)$/s.exec(expression);
  if (m && (FILTER_OPS as readonly string[]).includes(m[1]!)) return { field, op: m[1] as FilterOp, value: m[2]! };
  return { field, op: 'equals', value: expression };
}

function compare(actual: string | number | boolean, value: string): number {
  if (typeof actual === 'number' && value.trim() !== '' && !Number.isNaN(Number(value))) return actual - Number(value);
  return String(actual).localeCompare(value);
}

export function matchesFilter(build: PipelineBuild, f: BuildFilter): boolean {
  const actual = FILTER_FIELDS[f.field]!(build);
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
      return compare(actual, f.value) > 0;
    case 'gte':
      return compare(actual, f.value) >= 0;
    case 'lt':
      return compare(actual, f.value) < 0;
    case 'lte':
      return compare(actual, f.value) <= 0;
  }
}
