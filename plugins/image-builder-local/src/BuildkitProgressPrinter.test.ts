import { describe, expect, it } from 'vitest';
import { BuildkitProgressPrinter } from './BuildkitProgressPrinter.js';
import type { BuildkitStatus, BuildkitVertex } from './decodeBuildkitStatus.js';

function vertex(digest: string, fields: Partial<BuildkitVertex>): BuildkitVertex {
  return { digest, name: '', cached: false, started: false, completed: false, error: '', ...fields };
}

function status(parts: Partial<BuildkitStatus>): BuildkitStatus {
  return { vertexes: [], logs: [], warnings: [], ...parts };
}

describe('BuildkitProgressPrinter', () => {
  it('numbers vertices in order of appearance and reports each end once', () => {
    const printer = new BuildkitProgressPrinter();
    expect(printer.lines(status({ vertexes: [vertex('a', { name: '[1/2] FROM x', started: true })] }))).toEqual(['#1 [1/2] FROM x']);
    expect(
      printer.lines(
        status({
          vertexes: [
            vertex('a', { name: '[1/2] FROM x', started: true, completed: true, cached: true }),
            vertex('b', { name: '[2/2] RUN make', started: true }),
          ],
        }),
      ),
    ).toEqual(['#1 CACHED', '#2 [2/2] RUN make']);
    expect(printer.lines(status({ vertexes: [vertex('a', { name: '[1/2] FROM x', completed: true, cached: true })] }))).toEqual([]);
    expect(printer.lines(status({ vertexes: [vertex('b', { name: '[2/2] RUN make', completed: true, error: 'exit code: 2' })] }))).toEqual([
      '#2 ERROR: exit code: 2',
    ]);
  });

  it('joins output split across messages and flushes an unterminated last line', () => {
    const printer = new BuildkitProgressPrinter();
    printer.lines(status({ vertexes: [vertex('r', { name: '[1/1] RUN make' })] }));
    const log = (text: string) => status({ logs: [{ vertex: 'r', msg: Buffer.from(text) }] });
    expect(printer.lines(log('compil'))).toEqual([]);
    expect(printer.lines(log('ing\r\nlinking\nwarn'))).toEqual(['#1 compiling', '#1 linking']);
    expect(printer.flush()).toEqual(['#1 warn']);
    expect(printer.flush()).toEqual([]);
  });

  it('prints the vertex output before its end line', () => {
    const printer = new BuildkitProgressPrinter();
    printer.lines(status({ vertexes: [vertex('r', { name: '[1/1] RUN make' })], logs: [{ vertex: 'r', msg: Buffer.from('no newline') }] }));
    expect(printer.lines(status({ vertexes: [vertex('r', { completed: true })] }))).toEqual(['#1 no newline', '#1 DONE']);
  });

  it('prints warnings', () => {
    expect(new BuildkitProgressPrinter().lines(status({ warnings: ['legacy key/value format'] }))).toEqual(['WARNING: legacy key/value format']);
  });
});
