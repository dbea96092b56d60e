import stringWidth from 'string-width';
import type { BuildImage, BuildPlan, BuildResult } from '@stowage/core';
import { formatBytes, formatDuration } from './humanUnits.js';
import type { Colours } from './progressFrame.js';

export type SummaryAction = 'built' | 'reused' | 'unchanged' | 'parent image';

export interface SummaryRow {
  key: string;
  action: SummaryAction;
  seconds?: number;
  sizeBytes?: number;
  digest?: string;
  imageReference: string;
  steps: string[];
}

/**
 * What each image ended as in this run: a build returned as-is (nothing changed, or `--build`)
 * built nothing, so its images are `unchanged` whatever the old record says.
 */
export function summaryRows(plan: BuildPlan, result: BuildResult): SummaryRow[] {
  const asIs = plan.outcome.kind !== 'new-build';
  return result.build.images.map((i) => ({
    key: i.key,
    action: asIs ? 'unchanged' : actionOf(i),
    seconds: asIs ? undefined : i.durationSeconds,
    sizeBytes: i.sizeBytes,
    digest: i.digest,
    imageReference: i.imageReference,
    steps: i.steps,
  }));
}

function actionOf(image: BuildImage): SummaryAction {
  if (image.action === 'built' || image.action === 'reused') return image.action;
  return 'parent image';
}

export function summaryCounts(rows: readonly SummaryRow[]): string {
  const n = (a: SummaryAction) => rows.filter((r) => r.action === a).length;
  const parents = n('parent image');
  return `${n('built')} built, ${n('reused')} reused, ${n('unchanged')} unchanged${parents ? `, ${parents} run in the parent image` : ''}`;
}

/** The summary on stdout: one line for the build, one per image (action, time, size, digest, reference). */
export function buildSummary(plan: BuildPlan, result: BuildResult, c: Colours, quiet = false): string {
  const rows = summaryRows(plan, result);
  const head = `${headline(plan, result)} ${summaryCounts(rows)}.`;
  if (quiet) return `${head}\n`;
  const cells = rows.map((r) => [
    r.key,
    r.action,
    r.seconds !== undefined ? formatDuration(r.seconds) : '-',
    r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : '-',
    r.digest ? r.digest.slice(0, 19) : '-',
    `${r.imageReference}  (steps: ${r.steps.join(', ') || '-'})`,
  ]);
  const widths = [0, 1, 2, 3, 4].map((col) => Math.max(...cells.map((row) => stringWidth(row[col]!))));
  const icon = (a: SummaryAction) => (a === 'built' ? c.green('✓') : a === 'reused' ? c.green('↺') : c.dim('='));
  const lines = cells.map((row, i) => `  ${icon(rows[i]!.action)} ${row.map((cell, col) => (col < 5 ? pad(cell, widths[col]!) : cell)).join('  ')}`);
  return `${head}\n${lines.join('\n')}\n`;
}

function headline(plan: BuildPlan, result: BuildResult): string {
  const o = plan.outcome;
  if (o.kind === 'given-build') return `Using pipeline build ${o.buildId} (${o.from === 'file' ? 'from file' : 'from the build store'}):`;
  if (!plan.images.length) return 'No docker builds required:';
  if (o.kind === 'existing-build') return `Reusing existing build ${o.buildId} for stack ${plan.stack.name}, nothing changed:`;
  if (result.madeConcurrently) return `Reusing build ${result.build.id}, made meanwhile by a concurrent stowage build:`;
  return `Created pipeline build ${result.build.id} in ${formatDuration(result.build.durationSeconds)}:`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}
