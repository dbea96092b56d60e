import stripAnsi from 'strip-ansi';

/**
 * What a terminal shows for one line of build output: a progress bar redrawn in place (tqdm,
 * pip) is `\r`-separated frames, and a terminal keeps the last one. Colour codes are dropped:
 * they garble plain logs and throw off width arithmetic.
 */
export function terminalLine(line: string): string {
  const frames = stripAnsi(line).split('\r');
  // `…frame\r` (a bar that returns before its newline) shows the frame before the `\r`.
  while (frames.length > 1 && frames.at(-1) === '') frames.pop();
  return (frames.at(-1) ?? '').trimEnd();
}
