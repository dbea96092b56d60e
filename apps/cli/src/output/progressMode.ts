import { StowageError } from '@stowage/core';
import type { CliIO } from '../CliIO.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'json'] as const;
export type ProgressMode = Exclude<(typeof PROGRESS_MODES)[number], 'auto'>;

/**
 * `--progress auto` is live (`tty`) only where a live block can work: stderr is a terminal that
 * reports its size, the terminal is not `dumb`, and this is not CI (whose log viewers show every
 * redraw as new lines). A PTY that reports 0×0 (`script`, some CI runners) is not one.
 */
export function chooseProgressMode(requested: string | undefined, io: CliIO): ProgressMode {
  const mode = requested ?? 'auto';
  if (!(PROGRESS_MODES as readonly string[]).includes(mode)) {
    throw new StowageError(`--progress must be one of ${PROGRESS_MODES.join(', ')}, got "${mode}"`, { code: 'USAGE' });
  }
  if (mode !== 'auto') return mode as ProgressMode;
  const sized = Boolean(io.columns && io.rows);
  const dumb = io.env['TERM'] === 'dumb';
  return io.isTTY && sized && !dumb && !(io.isCI ?? false) ? 'tty' : 'plain';
}

/** Whether to colour stderr: NO_COLOR wins, FORCE_COLOR forces, else a terminal that is not dumb. */
export function wantsColour(io: CliIO): boolean {
  if (io.env['NO_COLOR']) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return io.isTTY && io.env['TERM'] !== 'dumb';
}

