import { namedCount, type InputChange, type InputValues, type NamedCount } from '../model/inputChanges.js';
import type { ChecksumInputs } from '../model/plan.js';
import { Redactor } from '../settings/Redactor.js';
import { requirementLineChanges } from './requirementLineChanges.js';
import { settingChangeText } from './settingChangeText.js';

/** An image's checksum inputs and the values behind them (an earlier build's may lack the values). */
export interface ExplainedInputs {
  checksumInputs: ChecksumInputs;
  values?: InputValues;
}

export interface RebuildExplanation {
  /** One line per reason, naming what changed. */
  why: string[];
  changes: InputChange[];
}

/** How many names a `why` line shows; the structured changes list more. */
const NAMES_SHOWN = 3;

/** Says what changed since the last build of the same image (pure): which settings, requirement lines, files. */
export function explainRebuild(previous: ExplainedInputs | undefined, current: ExplainedInputs, buildId?: string): RebuildExplanation {
  if (!previous) return { why: ['no earlier build of this image on this stack'], changes: [] };
  const out: RebuildExplanation = { why: [], changes: [] };
  explainSettings(previous, current, out);
  explainRequirements(previous, current, out);
  explainContext(previous, current, out);
  explainIdentity(previous.checksumInputs, current.checksumInputs, out);
  const [before, after] = [previous.checksumInputs, current.checksumInputs];
  if (!out.why.length && before.dockerfile !== after.dockerfile) add(out, 'generated Dockerfile changed (Stowage version)', { kind: 'dockerfile' });
  if (!out.why.length) out.why.push(`inputs equal those of build ${buildId ?? '?'}, but its checksum differs`);
  return out;
}

function add(out: RebuildExplanation, why: string, change: InputChange): void {
  out.why.push(why);
  out.changes.push(change);
}

function explainSettings(previous: ExplainedInputs, current: ExplainedInputs, out: RebuildExplanation): void {
  const [before, after] = [previous.checksumInputs.settings, current.checksumInputs.settings];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]).sort();
  const unknown: string[] = [];
  for (const field of fields) {
    const value = current.values?.settings?.[field] ?? null;
    const old = previous.values?.settings;
    if (old) {
      // Values were stored for every field the checksum covered: one it did not cover was unset.
      const was = Object.hasOwn(old, field) ? old[field] : null;
      add(out, `settings ${field}: ${settingChangeText(was, value)}`, { kind: 'settings', field, before: was, after: value });
    } else {
      unknown.push(field);
      out.changes.push({ kind: 'settings', field, after: value });
    }
  }
  // Records written before Stowage stored values say only which fields changed.
  if (unknown.length) out.why.push(`settings changed: ${unknown.join(', ')}`);
}

function explainRequirements(previous: ExplainedInputs, current: ExplainedInputs, out: RebuildExplanation): void {
  const [before, after] = [previous.checksumInputs.requirements, current.checksumInputs.requirements];
  // Stored contents are redacted: current ones are compared redacted the same way.
  const redactor = new Redactor();
  for (const file of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[file] === after[file]) continue;
    const status: 'added' | 'removed' | 'changed' = !before[file] ? 'added' : !after[file] ? 'removed' : 'changed';
    const old = before[file] ? previous.values?.requirements?.[file] : '';
    const now = after[file] ? (current.values?.requirements?.[file] ?? '') : '';
    if (old === undefined) {
      add(out, `requirements ${file} changed`, { kind: 'requirements', file, status, added: none(), removed: none() });
      continue;
    }
    const { added, removed } = requirementLineChanges(old, redactor.redact(now));
    const change = { kind: 'requirements' as const, file, status, added, removed };
    if (status !== 'changed') {
      const lines = status === 'added' ? added : removed;
      add(out, `requirements ${file} ${status}${lines.count ? `: ${namesText(lines)}` : ''}`, change);
      continue;
    }
    const lines = [added.count && `added ${namesText(added)}`, removed.count && `removed ${namesText(removed)}`].filter(Boolean).join('; ');
    add(out, `requirements ${file}: ${lines || 'only comments, blank lines or their order'}`, change);
  }
}

function explainContext(previous: ExplainedInputs, current: ExplainedInputs, out: RebuildExplanation): void {
  const [before, after] = [previous.checksumInputs.context, current.checksumInputs.context];
  if (before === after) return;
  if (!after) return add(out, 'code no longer included', { kind: 'code', included: false });
  if (!before) return add(out, 'code now included', { kind: 'code', included: true });
  const [old, now] = [previous.values?.context, current.values?.context];
  const files = { before: old?.count, after: now?.count };
  if (!old?.files || !now?.files) {
    const counts = old && now ? ` (${now.count} files, was ${old.count})` : '';
    return add(out, `source files changed${counts}`, { kind: 'source-files', files });
  }
  const { changed, added, removed } = fileChanges(old.files, now.files);
  const parts = [[changed, 'changed'], [added, 'added'], [removed, 'removed']] as const;
  const text = parts.filter(([n]) => n.count).map(([n, verb]) => `${n.count} ${verb} (${namesText(n)})`);
  add(out, `source files changed: ${text.join(', ') || 'file modes or folders only'}`, { kind: 'source-files', changed, added, removed, files });
}

function explainIdentity(before: ChecksumInputs, after: ChecksumInputs, out: RebuildExplanation): void {
  if (before.parentImage !== after.parentImage) {
    add(out, `parent image changed: ${before.parentImage} → ${after.parentImage}`, { kind: 'parent-image', before: before.parentImage, after: after.parentImage });
  }
  if (before.builder !== after.builder) add(out, `image builder changed: ${before.builder} → ${after.builder}`, { kind: 'image-builder', before: before.builder, after: after.builder });
  if (before.platform !== after.platform) {
    const change = { kind: 'platform' as const, before: before.platform ?? null, after: after.platform ?? null };
    add(out, `platform changed: ${before.platform ?? 'default'} → ${after.platform ?? 'default'}`, change);
  }
  if (before.buildOptions !== after.buildOptions) add(out, 'build options changed', { kind: 'build-options' });
}

/** Paths whose digest changed, appeared or went away, in path order. */
export function fileChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): Record<'changed' | 'added' | 'removed', NamedCount> {
  const changed: string[] = [];
  const added: string[] = [];
  for (const path of Object.keys(after).sort()) {
    if (!Object.hasOwn(before, path)) added.push(path);
    else if (before[path] !== after[path]) changed.push(path);
  }
  const removed = Object.keys(before)
    .filter((p) => !Object.hasOwn(after, p))
    .sort();
  return { changed: namedCount(changed), added: namedCount(added), removed: namedCount(removed) };
}

function none(): NamedCount {
  return { names: [], count: 0 };
}

/** A file name or line as shown: quoted when it holds control characters (a terminal escape in a name stays inert). */
const shownName = (name: string) => (/[\u0000-\u001f\u007f-\u009f]/.test(name) ? JSON.stringify(name) : name);

/** `a, b, c` or `a, b, c and 4 more`. */
function namesText(n: NamedCount): string {
  const shown = n.names.slice(0, NAMES_SHOWN).map(shownName);
  return n.count > shown.length ? `${shown.join(', ')} and ${n.count - shown.length} more` : shown.join(', ');
}
