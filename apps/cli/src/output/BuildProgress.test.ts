import { describe, expect, it } from 'vitest';
import { Redactor, type PlanStep } from '@stowage/core';

const build = (image: string, imageName: string, role: 'generated' | 'dockerfile' = 'generated') =>
  ({ kind: 'docker-build', image, role, imageName }) as unknown as PlanStep;
import { BuildProgress } from './BuildProgress.js';

function capture(isTTY: boolean, columns = 120) {
  let err = '';
  const io = { stdout: () => {}, stderr: (t: string) => (err += t), isTTY, columns, rows: 40, cwd: '/', env: {} };
  const progress = new BuildProgress(io, new Redactor(['s3cr3t-value']));
  return { progress, out: () => err };
}

describe('BuildProgress', () => {
  it('plain mode: one [image] line per log line, step lines once, colour codes and secrets removed', () => {
    const { progress, out } = capture(false);
    progress.onEvent({ type: 'step-start', step: build('train', 'stowage:t', 'generated') });
    progress.onEvent({ type: 'image-event', key: 'train', event: { type: 'step', step: 'Step 1/2 : FROM python' } });
    progress.onEvent({ type: 'image-event', key: 'train', event: { type: 'log', line: 'Step 1/2 : FROM python' } });
    progress.onEvent({ type: 'image-event', key: 'train', event: { type: 'log', line: '\x1b[91mWARNING: token s3cr3t-value\x1b[0m' } });
    progress.onEvent({ type: 'step-done', step: build('train', 'stowage:t'), result: { imageName: 'stowage:t', digest: 'sha256:abc' } });
    expect(out()).toBe(
      ['[train] building stowage:t', '[train] Step 1/2 : FROM python', '[train] WARNING: token ***', '[train] built stowage:t (sha256:abc)', ''].join('\n'),
    );
  });

  it('TTY mode: redraws one block (status line + log tail per image) in place', () => {
    const { progress, out } = capture(true);
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a', 'generated') });
    progress.onEvent({ type: 'step-start', step: build('b', 'stowage:b', 'dockerfile') });
    progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'log', line: 'line 1' } });
    progress.flush();
    const frames = out().split('\x1b[2K');
    expect(out()).toContain('\x1b[2F'); // moved up over the 2-line block before redrawing
    expect(frames.at(-3)).toBe('● a: building stowage:a\n');
    expect(frames.at(-2)).toBe('    line 1\n');
    expect(frames.at(-1)).toBe('● b: building Dockerfile image stowage:b\n');
  });
});

describe('BuildProgress in a narrow terminal', () => {
  it('cuts lines to the width after redaction, so a cut never leaves part of a secret', () => {
    const { progress, out } = capture(true, 40);
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a', 'generated') });
    progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'log', line: `${'x'.repeat(30)} token=s3cr3t-value and more` } });
    progress.flush();
    expect(out()).not.toContain('s3cr3t');
    expect(out()).not.toContain('s3c');
    for (const frame of out().split('\x1b[2K').slice(1)) expect(frame.replace(/\n.*$/s, '').length).toBeLessThanOrEqual(39);
  });
});
