/** How many keys of an object value a `why` line names. */
const KEYS_SHOWN = 3;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Compact JSON of a value, cut to one short line. */
export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * What changed in one settings value, for a `why` line: the keys of an object that differ
 * (`STAGE: "one" → "two"`), the items a list gained and lost, else old → new. Values are shown
 * as stored and planned: credential fields are already `***`, and a change to one alone says so.
 */
export function settingChangeText(before: unknown, after: unknown): string {
  if (isObject(before) && isObject(after)) return objectChangeText(before, after);
  if (Array.isArray(before) && Array.isArray(after)) return listChangeText(before, after);
  return same(before, after) ? 'a hidden credential value changed' : `${shortJson(before)} → ${shortJson(after)}`;
}

function objectChangeText(before: Json, after: Json): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k]));
  if (!keys.length) return 'a hidden credential value changed';
  const shown = keys.slice(0, KEYS_SHOWN).map((k) => `${k}: ${k in before ? shortJson(before[k]) : '(unset)'} → ${k in after ? shortJson(after[k]) : '(unset)'}`);
  return keys.length > KEYS_SHOWN ? `${shown.join(', ')} and ${keys.length - KEYS_SHOWN} more` : shown.join(', ');
}

function listChangeText(before: readonly unknown[], after: readonly unknown[]): string {
  const [was, now] = [before.map((v) => JSON.stringify(v)), after.map((v) => JSON.stringify(v))];
  const added = now.filter((v) => !was.includes(v));
  const removed = was.filter((v) => !now.includes(v));
  const parts = [added.length && `added ${added.join(', ')}`, removed.length && `removed ${removed.join(', ')}`].filter(Boolean);
  return parts.length ? parts.join('; ') : 'order changed';
}
