import cliTruncate from 'cli-truncate';
import type pc from 'picocolors';
import stringWidth from 'string-width';
import type { ImageRow, ImageState } from './ImageProgress.js';
import { formatDuration } from './humanUnits.js';

export type Colours = ReturnType<typeof pc.createColors>;

export interface FrameOptions {
  pipeline: string;
  started: number;
  now: number;
  columns: number;
  rows: number;
  colour: Colours;
  redact(text: string): string;
}

const ICONS: Record<ImageState, string> = { queued: '·', running: '▸', built: '✓', reused: '↺', unchanged: '=', failed: '✗', cancelled: '–' };

/** Finished in any way: counts towards "n/N done". */
export function isSettled(state: ImageState): boolean {
  return state !== 'queued' && state !== 'running';
}

/**
 * The live block: a header (elapsed time, n/N done), one line per image with its state and
 * timer, and the last log lines of running images. Lines are cut to the terminal's width by
 * display width (wide characters take two columns), after redaction, so none wraps; the block
 * is cut to its height by dropping log lines first.
 */
export function progressFrame(images: readonly ImageRow[], code: ImageRow | undefined, o: FrameOptions): string {
  const done = images.filter((r) => isSettled(r.state)).length;
  const header = o.colour.bold(`Building ${o.pipeline} · ${done}/${images.length} done · ${formatDuration((o.now - o.started) / 1000)}`);
  const rows = code ? [code, ...images] : [...images];
  const keyWidth = Math.max(...rows.map((r) => stringWidth(r.key)));
  const blocks = rows.map((r) => ({ head: rowLine(r, keyWidth, o), tail: r.state === 'running' ? r.tail.map((t) => o.colour.dim(`    ${t}`)) : [] }));
  // Height: header + one line per image always; log lines share what is left.
  const room = Math.max(0, o.rows - 2 - blocks.length);
  let tailLines = blocks.reduce((n, b) => n + b.tail.length, 0);
  while (tailLines > room) {
    const longest = blocks.reduce((a, b) => (b.tail.length > a.tail.length ? b : a));
    longest.tail.shift();
    tailLines--;
  }
  const lines = [header, ...blocks.flatMap((b) => [b.head, ...b.tail])].slice(0, Math.max(1, o.rows - 1));
  const width = Math.max(10, o.columns - 1);
  return lines.map((l) => cliTruncate(o.redact(l), width)).join('\n');
}

/** One image's line: icon, key (padded to `keyWidth` columns), state and timer. */
export function rowLine(r: ImageRow, keyWidth: number, o: Pick<FrameOptions, 'colour' | 'now'>): string {
  const key = r.key + ' '.repeat(Math.max(0, keyWidth - stringWidth(r.key)));
  return `${stateIcon(r, o.colour)} ${key}  ${stateText(r, o)}`;
}

export function stateIcon(r: ImageRow, c: Colours): string {
  const icon = ICONS[r.state];
  if (r.state === 'running') return c.cyan(icon);
  if (r.state === 'failed') return c.red(icon);
  if (r.state === 'cancelled') return c.yellow(icon);
  return r.state === 'queued' || r.state === 'unchanged' ? c.dim(icon) : c.green(icon);
}

/** `queued`, `building step 2/5 · 4.2s`, `done in 8.1s`, `reused`, `failed after 3.2s`, … */
export function stateText(r: ImageRow, o: Pick<FrameOptions, 'colour' | 'now'>): string {
  const c = o.colour;
  const took = r.started !== undefined ? formatDuration(((r.ended ?? o.now) - r.started) / 1000) : '';
  switch (r.state) {
    case 'queued':
      return c.dim('queued');
    case 'running':
      return `${[r.activity, r.step].filter(Boolean).join(' ')} · ${took}`;
    case 'built':
      return `${c.green('done')}${took ? ` in ${took}` : ''}`;
    case 'reused':
      return 'reused';
    case 'unchanged':
      return 'unchanged';
    case 'failed':
      return `${c.red('failed')}${took ? ` after ${took}` : ''}`;
    case 'cancelled':
      return c.yellow('cancelled');
  }
}
