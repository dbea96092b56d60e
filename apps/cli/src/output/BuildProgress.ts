import type { EngineEvent, PlanStep, Redactor } from '@stowage/core';
import type { CliIO } from '../CliIO.js';

interface ImageState {
  status: string;
  tail: string[];
}

const TAIL = 3;

/**
 * Build progress: on a TTY a live block (one status line per image plus its last log lines),
 * redrawn in place; otherwise plain `[image] line` lines. Everything is redacted.
 */
export class BuildProgress {
  private readonly images = new Map<string, ImageState>();
  private drawn = 0;
  private lastDraw = 0;
  private pending?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly io: CliIO,
    private readonly redactor: Redactor,
    private readonly live = io.isTTY,
  ) {}

  onEvent = (event: EngineEvent): void => {
    const key = event.type === 'image-event' ? event.key : keyOf(event.step);
    const state = this.images.get(key) ?? { status: 'waiting', tail: [] };
    this.images.set(key, state);
    let line: string | undefined;
    switch (event.type) {
      case 'step-start':
        state.status = startText(event.step);
        line = state.status;
        break;
      case 'step-done': {
        const done = doneText(event.step, event.result?.digest);
        if (done) state.status = line = done;
        break;
      }
      case 'image-event': {
        const e = event.event;
        if (e.type === 'step') {
          // Step lines also arrive as log lines: show them as the status, not twice.
          state.status = e.step;
          break;
        }
        line = stripAnsi(e.type === 'log' ? e.line : e.message);
        state.tail = [...state.tail, line].slice(-TAIL);
        break;
      }
    }
    if (this.live) this.scheduleRedraw(event.type !== 'image-event');
    else if (line !== undefined && line.trim()) this.io.stderr(`[${key}] ${this.redactor.redact(line.trimEnd())}\n`);
  };

  /** Draws what is pending (call when the build ends). */
  flush(): void {
    if (this.pending === undefined) return;
    clearTimeout(this.pending);
    this.pending = undefined;
    this.redraw();
  }

  /** Redraws at most ~10 times a second (status changes at once); log floods cost nothing. */
  private scheduleRedraw(now: boolean): void {
    if (now || Date.now() - this.lastDraw >= 100) {
      clearTimeout(this.pending);
      this.pending = undefined;
      this.redraw();
    } else {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.redraw();
      }, 100);
    }
  }

  private redraw(): void {
    this.lastDraw = Date.now();
    // Lines are cut to the terminal width (so none wraps and the cursor arithmetic holds) and
    // the block to its height, after redaction: a cut could split a secret.
    const width = Math.max(20, (this.io.columns ?? 120) - 1);
    const lines: string[] = [];
    for (const [key, s] of this.images) {
      lines.push(`● ${key}: ${s.status}`);
      for (const t of s.tail) lines.push(`    ${t.trimEnd()}`);
    }
    const shown = lines.slice(-Math.max(1, (this.io.rows ?? 40) - 1)).map((l) => this.redactor.redact(l).slice(0, width));
    const up = this.drawn ? `\x1b[${this.drawn}F` : '';
    const clearRest = this.drawn > shown.length ? '\x1b[J' : '';
    this.io.stderr(`${up}${shown.map((l) => `\x1b[2K${l}`).join('\n')}\n${clearRest}`);
    this.drawn = shown.length;
  }
}

function keyOf(step: PlanStep): string {
  return 'image' in step ? step.image : 'code';
}

function startText(step: PlanStep): string {
  switch (step.kind) {
    case 'docker-build':
      return `building ${step.role === 'dockerfile' ? 'Dockerfile image ' : ''}${step.imageName}`;
    case 'push':
      return `pushing ${step.imageName}`;
    case 'stage-context':
      return `staging the build context at ${step.destination}`;
    case 'upload-code-archive':
      return `uploading the code to ${step.destination}`;
    case 'append-layer':
      return `appending code layers to ${step.imageName}`;
    case 'reuse':
      return `reuse: ${step.imageReference}`;
    case 'tag':
      return `tagging ${step.source} as ${step.imageName}`;
    case 'use-parent':
    case 'skip-build':
      return `${step.kind}: ${step.imageName}`;
  }
}

function doneText(step: PlanStep, digest: string | undefined): string | undefined {
  if (step.kind === 'docker-build') return `built ${step.imageName}${digest ? ` (${digest})` : ''}`;
  if (step.kind === 'push') return `pushed ${step.imageName}${digest ? ` (${digest})` : ''}`;
  if (step.kind === 'tag') return `tagged ${step.imageName}${digest ? ` (${digest})` : ''}`;
  if (step.kind === 'upload-code-archive') return `uploaded the code to ${step.destination}`;
  return undefined;
}

// Engine output carries terminal colour codes (pip's warnings); they garble plain logs.
function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}
