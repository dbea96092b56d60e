import type { EngineEvent, Redactor } from '@stowage/core';
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

  constructor(
    private readonly io: CliIO,
    private readonly redactor: Redactor,
    private readonly live = io.isTTY,
  ) {}

  onEvent = (event: EngineEvent): void => {
    const state = this.images.get(event.key) ?? { status: 'waiting', tail: [] };
    this.images.set(event.key, state);
    let line: string | undefined;
    switch (event.type) {
      case 'image-start':
        state.status = `building ${event.role === 'dockerfile' ? 'Dockerfile image ' : ''}${event.imageName}`;
        line = state.status;
        break;
      case 'image-done':
        state.status = `built ${event.imageName}${event.digest ? ` (${event.digest})` : ''}`;
        line = state.status;
        break;
      case 'image-skipped':
        state.status = `${event.action}: ${event.imageName}`;
        line = state.status;
        break;
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
    if (this.live) this.redraw();
    else if (line !== undefined && line.trim()) this.io.stderr(`[${event.key}] ${this.redactor.redact(line.trimEnd())}\n`);
  };

  private redraw(): void {
    const width = 120;
    const lines: string[] = [];
    for (const [key, s] of this.images) {
      lines.push(`● ${key}: ${s.status}`.slice(0, width));
      for (const t of s.tail) lines.push(`    ${t.trimEnd()}`.slice(0, width));
    }
    const up = this.drawn ? `\x1b[${this.drawn}F` : '';
    this.io.stderr(`${up}${lines.map((l) => `\x1b[2K${this.redactor.redact(l)}`).join('\n')}\n`);
    this.drawn = lines.length;
  }
}

// Engine output carries terminal colour codes (pip's warnings); they garble plain logs.
function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}
