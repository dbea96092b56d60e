import { describe, expect, it } from 'vitest';
import { chooseProgressMode, wantsColour } from './progressMode.js';

const io = (o: { isTTY?: boolean; columns?: number; rows?: number; isCI?: boolean; env?: Record<string, string> } = {}) => ({
  stdout: () => {},
  stderr: () => {},
  cwd: '/',
  isTTY: o.isTTY ?? true,
  columns: 'columns' in o ? o.columns : 100,
  rows: 'rows' in o ? o.rows : 30,
  isCI: o.isCI ?? false,
  env: o.env ?? { TERM: 'xterm-256color' },
});

describe('chooseProgressMode', () => {
  it.each([
    ['a sized terminal', io(), 'tty'],
    ['not a terminal', io({ isTTY: false }), 'plain'],
    ['CI', io({ isCI: true }), 'plain'],
    ['TERM=dumb', io({ env: { TERM: 'dumb' } }), 'plain'],
    ['a PTY that reports 0×0', io({ columns: 0, rows: 0 }), 'plain'],
    ['a PTY with no size', io({ columns: undefined, rows: undefined }), 'plain'],
  ])('auto in %s → %s', (_, given, mode) => expect(chooseProgressMode(undefined, given)).toBe(mode));

  it('an explicit mode wins; an unknown one is a usage error', () => {
    expect(chooseProgressMode('tty', io({ isTTY: false }))).toBe('tty');
    expect(chooseProgressMode('json', io())).toBe('json');
    expect(() => chooseProgressMode('fancy', io())).toThrow(/--progress must be one of auto, tty, plain, json, got "fancy"/);
  });
});

describe('wantsColour', () => {
  it('NO_COLOR wins, FORCE_COLOR forces, else a terminal that is not dumb', () => {
    expect(wantsColour(io({ env: { NO_COLOR: '1', FORCE_COLOR: '1' } }))).toBe(false);
    expect(wantsColour(io({ isTTY: false, env: { FORCE_COLOR: '1' } }))).toBe(true);
    expect(wantsColour(io({ env: { FORCE_COLOR: '0' } }))).toBe(false);
    expect(wantsColour(io())).toBe(true);
    expect(wantsColour(io({ isTTY: false }))).toBe(false);
    expect(wantsColour(io({ env: { TERM: 'dumb' } }))).toBe(false);
  });
});
