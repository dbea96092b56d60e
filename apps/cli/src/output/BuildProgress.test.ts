import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { Redactor, type BuildPlan, type EngineEvent, type PlanStep } from '@stowage/core';
import { BuildProgress, type ProgressOptions } from './BuildProgress.js';

const build = (image: string, imageName: string) => ({ kind: 'docker-build', image, role: 'generated', imageName }) as unknown as PlanStep;
const push = (image: string, imageName: string) => ({ kind: 'push', image, imageName }) as unknown as PlanStep;

function planOf(...keys: string[]): BuildPlan {
  const images = keys.map((key) => ({ key, imageName: `stowage:${key}`, action: 'build', buildSteps: [build(key, `stowage:${key}`), push(key, `stowage:${key}`)] }));
  return { pipeline: 'demo', stack: { name: 'default' }, outcome: { kind: 'new-build' }, preSteps: [], images } as unknown as BuildPlan;
}

function capture(plan: BuildPlan, options: Partial<ProgressOptions> & Pick<ProgressOptions, 'mode'>, columns = 60, rows = 20) {
  let err = '';
  let clock = 0;
  const io = { stdout: () => {}, stderr: (t: string) => (err += t), isTTY: options.mode === 'tty', columns, rows, cwd: '/', env: {} };
  const progress = new BuildProgress(io, new Redactor(['s3cr3t-value']), plan, { colour: false, now: () => clock, ...options });
  const tick = (ms: number) => (clock += ms);
  return { progress, tick, out: () => err };
}

/** Runs a two-image build: `a` prints a tqdm bar redrawn with `\r` and wide characters, then both finish. */
function drive(progress: BuildProgress, tick: (ms: number) => void): void {
  const e = (event: EngineEvent) => progress.onEvent(event);
  const log = (key: string, line: string) => e({ type: 'image-event', key, event: { type: 'log', line } });
  e({ type: 'step-start', step: build('a', 'stowage:a') });
  e({ type: 'image-event', key: 'a', event: { type: 'step', step: 'Step 2/4 : RUN python fetch.py' } });
  for (let i = 0; i <= 10; i++) {
    tick(100);
    log('a', `${Array.from({ length: i + 1 }, (_, k) => `\r${k * 10}%|${'█'.repeat(k)}${' '.repeat(10 - k)}| ${k}/10`).join('')}`);
  }
  log('a', '下载完成 données ✓ token s3cr3t-value');
  tick(1000);
  e({ type: 'step-done', step: build('a', 'stowage:a'), result: { imageName: 'stowage:a' } });
  e({ type: 'step-start', step: push('a', 'stowage:a') });
  e({ type: 'step-done', step: push('a', 'stowage:a'), result: { imageName: 'stowage:a', digest: 'sha256:aaaa' } });
  e({ type: 'step-start', step: build('b', 'stowage:b') });
  tick(2000);
  e({ type: 'step-done', step: build('b', 'stowage:b'), result: { imageName: 'stowage:b' } });
  e({ type: 'step-start', step: push('b', 'stowage:b') });
  e({ type: 'step-done', step: push('b', 'stowage:b'), result: { imageName: 'stowage:b', digest: 'sha256:bbbb' } });
}

async function screenOf(output: string, cols: number, rows: number): Promise<string[]> {
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(output.replace(/\n/g, '\r\n'), resolve));
  const buffer = term.buffer.active;
  return Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '').filter((l) => l.trim());
}

describe('BuildProgress', () => {
  it('plain: state changes and the text a terminal would show for each \\r-redrawn line, redacted', () => {
    const { progress, tick, out } = capture(planOf('a', 'b'), { mode: 'plain' });
    drive(progress, tick);
    progress.finish();
    const lines = out().trimEnd().split('\n');
    expect(lines).toContain('[a] building stowage:a');
    expect(lines).toContain('[a] 100%|██████████| 10/10');
    expect(lines).toContain('[a] 下载完成 données ✓ token ***');
    expect(lines).toContain('[a] ✓ done in 2.1s (sha256:aaaa)');
    expect(lines).toContain('[b] ✓ done in 2.0s (sha256:bbbb)');
    expect(out()).not.toContain('\r');
    expect(out()).not.toContain('\x1b');
  });

  it('json: one event per line, from build-start (every image queued) to build-end with counts', () => {
    const { progress, tick, out } = capture(planOf('a', 'b'), { mode: 'json' });
    drive(progress, tick);
    progress.finish();
    const events = out().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ type: 'build-start', images: [{ key: 'a', state: 'queued' }, { key: 'b', state: 'queued' }] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', key: 'a', line: '100%|██████████| 10/10' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'image', key: 'a', state: 'running', step: 'step 2/4' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'image', key: 'b', state: 'built', seconds: 2, digest: 'sha256:bbbb' }));
    expect(events.at(-1)).toMatchObject({ type: 'build-end', outcome: 'succeeded', counts: { built: 2, failed: 0 } });
    expect(out()).not.toContain('s3cr3t');
  });

  it('tty: the live block is redrawn in place, never repeated, and erased at the end', async () => {
    const { progress, tick, out } = capture(planOf('a', 'b'), { mode: 'tty' }, 60, 20);
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a') });
    progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'step', step: '#5 [2/4] RUN python fetch.py' } });
    for (let k = 0; k <= 10; k++) {
      tick(150);
      progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'log', line: `#5 ${k * 10}%|${'█'.repeat(k)}\r` } });
    }
    tick(150);
    progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'log', line: '#5 下载完成 données' } });
    const during = await screenOf(out(), 60, 20);
    expect(during[0]).toMatch(/^Building demo · 0\/2 done · 1\.\ds$/);
    expect(during.filter((l) => l.startsWith('Building demo'))).toHaveLength(1);
    expect(during.some((l) => /^▸ a {2}building step 2\/4 · 1\.\ds$/.test(l))).toBe(true);
    expect(during).toContain('    #5 100%|██████████');
    expect(during).toContain('    #5 下载完成 données');
    expect(during).toContain('· b  queued');
    expect(during.filter((l) => l.includes('%|'))).toHaveLength(2); // the last 3 lines only: 90%, 100%, wide line
    drive(progress, tick);
    progress.finish();
    expect(await screenOf(out(), 60, 20)).toEqual([]);
  });

  it('tty in a narrow terminal: lines are cut by display width after redaction', async () => {
    const { progress, out } = capture(planOf('a'), { mode: 'tty' }, 30, 10);
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a') });
    progress.onEvent({ type: 'image-event', key: 'a', event: { type: 'log', line: `下载下载下载下载 token=s3cr3t-value and more` } });
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a') });
    const screen = await screenOf(out(), 30, 10);
    expect(out()).not.toContain('s3c');
    expect(screen.some((l) => l.startsWith('    下载下载下载下载'))).toBe(true);
    // No line wrapped: the block is exactly header + image + its log line.
    expect(screen).toHaveLength(3);
    progress.finish();
  });

  it('a failure marks the image the error names failed, the others cancelled, and leaves their final states', () => {
    const { progress, tick, out } = capture(planOf('a', 'b', 'c'), { mode: 'plain' });
    progress.onEvent({ type: 'step-start', step: build('a', 'stowage:a') });
    progress.onEvent({ type: 'step-start', step: build('b', 'stowage:b') });
    tick(3200);
    progress.finish(new Error('building image stowage:b failed at Step 2/2 : RUN exit 3: exit code 3'));
    const rows = [...progress.state.rows.values()].map((r) => [r.key, r.state]);
    expect(rows).toEqual([['a', 'cancelled'], ['b', 'failed'], ['c', 'cancelled']]);
    expect(out()).toContain('✗ b  failed after 3.2s');
  });
});
