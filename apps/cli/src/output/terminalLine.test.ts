import { describe, expect, it } from 'vitest';
import { terminalLine } from './terminalLine.js';

describe('terminalLine: what a terminal shows of one output line', () => {
  it.each([
    ['plain text', 'plain text'],
    [' 10%|█  |\r 50%|█████ |\r100%|██████████|', '100%|██████████|'],
    ['100%|██████████|\r', '100%|██████████|'],
    ['bar\r\r', 'bar'],
    ['\x1b[91mERROR\x1b[0m: 下载', 'ERROR: 下载'],
    ['trailing   ', 'trailing'],
  ])('%j → %j', (line, shown) => expect(terminalLine(line)).toBe(shown));
});
