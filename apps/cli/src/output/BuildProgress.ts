import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import stringWidth from 'string-width';
import type { BuildPlan, EngineEvent, Redactor } from '@stowage/core';
import type { CliIO } from '../CliIO.js';
import type { BuildLogs } from '../logs/BuildLogs.js';
import { CODE_ROW, ImageProgress, type ImageRow } from './ImageProgress.js';
import { progressFrame, rowLine, stateIcon, stateText, type Colours } from './progressFrame.js';
import type { ProgressMode } from './progressMode.js';

export interface ProgressOptions {
  /** `quiet`: nothing while building; the final states only when the build fails. */
  mode: ProgressMode | 'quiet';
  /** More log lines per running image (live) and every engine status line (plain). */
  verbose?: boolean;
  colour: boolean;
  /** Where the full logs go. */
  logs?: BuildLogs;
  /** The clock (tests). */
  now?: () => number;
}

const REDRAW_MS = 100;

/**
 * A build's progress on stderr: a live block on a terminal (log-update), plain `[image] line`
 * lines elsewhere, or one JSON event per line. Every log line is redacted first and saved in
 * full to the attempt's log files; when the build ends the live block is erased.
 */
export class BuildProgress {
  readonly state: ImageProgress;
  private readonly colour: Colours;
  private readonly now: () => number;
  private readonly started: number;
  private readonly live?: ReturnType<typeof createLogUpdate>;
  private ticker?: ReturnType<typeof setInterval>;
  private pending?: ReturnType<typeof setTimeout>;
  private lastDraw = 0;

  constructor(
    private readonly io: CliIO,
    private readonly redactor: Redactor,
    private readonly plan: BuildPlan,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.colour = pc.createColors(options.colour);
    this.state = new ImageProgress(plan, options.verbose ? 10 : 3);
    if (options.mode === 'tty') {
      const stream = { write: (t: string) => (io.stderr(t), true), columns: io.columns, rows: io.rows, isTTY: true };
      this.live = createLogUpdate(stream as unknown as NodeJS.WriteStream);
      this.redraw();
      // The header's timer moves even while a build prints nothing.
      this.ticker = setInterval(() => this.redraw(), 1000);
    } else if (options.mode === 'json') {
      const images = [...this.state.rows.values()].map((r) => ({ key: r.key, imageName: r.imageName, state: r.state }));
      this.json({ type: 'build-start', pipeline: plan.pipeline, stack: plan.stack.name, images });
    }
  }

  onEvent = (raw: EngineEvent): void => {
    const event = this.redacted(raw);
    const key = event.type === 'image-event' ? event.key : 'image' in event.step ? event.step.image : CODE_ROW;
    if (event.type === 'image-event') this.saveLine(key, event.event);
    const change = this.state.apply(event, this.now());
    if (!change) return;
    switch (this.options.mode) {
      case 'tty':
        return this.scheduleRedraw(change.stateChanged);
      case 'plain':
        return this.plain(change.row, event, change.line);
      case 'json':
        if (change.line !== undefined) this.json({ type: 'log', key, line: change.line });
        else if (change.stateChanged) this.json(this.rowEvent(change.row));
        return;
      case 'quiet':
        return;
    }
  };

  /** The build ended: erase the live block; on failure leave every image's final state and where its log is. */
  finish(error?: unknown): void {
    clearInterval(this.ticker);
    clearTimeout(this.pending);
    const cancelled = Boolean(this.io.signal?.aborted) || (error as { code?: string } | undefined)?.code === 'BUILD_CANCELLED';
    if (error !== undefined) this.state.fail(error, cancelled, this.now());
    this.live?.clear();
    this.live?.done();
    if (this.options.mode === 'json') {
      for (const r of this.state.rows.values()) if (error !== undefined && (r.state === 'failed' || r.state === 'cancelled')) this.json(this.rowEvent(r));
      this.json({ type: 'build-end', outcome: error === undefined ? 'succeeded' : cancelled ? 'cancelled' : 'failed', seconds: this.seconds(), counts: this.state.counts() });
      return;
    }
    if (error === undefined) return;
    const rows = [...this.state.rows.values()];
    const keyWidth = Math.max(...rows.map((r) => stringWidth(r.key)));
    for (const r of rows) {
      const log = this.options.logs && r.state === 'failed' ? `  (log: ${this.options.logs.pathOf(r.key)})` : '';
      this.io.stderr(`${this.redactor.redact(rowLine(r, keyWidth, { colour: this.colour, now: this.now() }))}${log}\n`);
    }
  }

  /** Seconds since the progress began. */
  seconds(): number {
    return (this.now() - this.started) / 1000;
  }

  private redacted(event: EngineEvent): EngineEvent {
    if (event.type !== 'image-event') return event;
    const e = event.event;
    if (e.type === 'log') return { ...event, event: { type: 'log', line: this.redactor.redact(e.line) } };
    if (e.type === 'step') return { ...event, event: { type: 'step', step: this.redactor.redact(e.step) } };
    return { ...event, event: { ...e, message: this.redactor.redact(e.message) } };
  }

  /** The full log keeps every engine line as it came (`\r` frames too); Dockerfile step events repeat a log line. */
  private saveLine(key: string, e: Extract<EngineEvent, { type: 'image-event' }>['event']): void {
    if (e.type === 'log') this.options.logs?.line(key, e.line);
    else if (e.type !== 'step') this.options.logs?.line(key, e.message);
  }

  private plain(row: ImageRow, event: EngineEvent, line: string | undefined): void {
    let text: string | undefined;
    if (line !== undefined) {
      // Engine status lines (layer pulls) are many and say little: shown with --verbose.
      const status = event.type === 'image-event' && event.event.type === 'status';
      if (!status || this.options.verbose) text = line;
    } else if (event.type === 'step-start') {
      text = `${row.activity} ${'imageName' in event.step ? event.step.imageName : ''}`.trimEnd();
    } else if (event.type === 'step-done' && row.remaining === 0) {
      const state = stateText(row, { colour: this.colour, now: this.now() });
      text = `${stateIcon(row, this.colour)} ${state}${row.digest ? ` (${row.digest})` : ''}`;
    }
    if (text !== undefined && text.trim()) this.io.stderr(`[${row.key}] ${this.redactor.redact(text)}\n`);
  }

  private rowEvent(r: ImageRow): Record<string, unknown> {
    const seconds = r.started !== undefined && r.ended !== undefined ? (r.ended - r.started) / 1000 : undefined;
    return { type: 'image', key: r.key, state: r.state, activity: r.activity, step: r.step, seconds, digest: r.digest };
  }

  private json(event: Record<string, unknown>): void {
    this.io.stderr(`${this.redactor.redact(JSON.stringify(event))}\n`);
  }

  /** Redraws at most ~10 times a second (state changes at once); log floods cost nothing. */
  private scheduleRedraw(now: boolean): void {
    if (now || this.now() - this.lastDraw >= REDRAW_MS) {
      clearTimeout(this.pending);
      this.pending = undefined;
      this.redraw();
    } else {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.redraw();
      }, REDRAW_MS);
    }
  }

  private redraw(): void {
    if (!this.live) return;
    this.lastDraw = this.now();
    const code = this.state.rows.get(CODE_ROW);
    this.live(
      progressFrame(this.state.images(), code, {
        pipeline: this.plan.pipeline,
        started: this.started,
        now: this.now(),
        columns: this.io.columns ?? 80,
        rows: this.io.rows ?? 24,
        colour: this.colour,
        redact: (t) => this.redactor.redact(t),
      }),
    );
  }
}
