import type { BuildkitStatus } from './decodeBuildkitStatus.js';

interface VertexState {
  number: number;
  named: boolean;
  ended: boolean;
  /** Output after the last newline, held until the line completes. */
  partial: string;
}

/**
 * Turns BuildKit status updates into the `docker build --progress=plain` style of lines:
 * `#5 [2/3] RUN make`, `#5 <output line>`, `#5 DONE` / `#5 CACHED` / `#5 ERROR: …`.
 * Vertices are numbered in order of first appearance, as the docker CLI does.
 */
export class BuildkitProgressPrinter {
  private readonly vertices = new Map<string, VertexState>();

  lines(status: BuildkitStatus): string[] {
    const out: string[] = [];
    for (const v of status.vertexes) {
      const state = this.state(v.digest);
      if (v.name && !state.named) {
        state.named = true;
        out.push(`#${state.number} ${v.name}`);
      }
      if (state.ended || !(v.error || v.completed)) continue;
      state.ended = true;
      out.push(...this.flushVertex(state));
      out.push(`#${state.number} ${v.error ? `ERROR: ${v.error}` : v.cached ? 'CACHED' : 'DONE'}`);
    }
    for (const log of status.logs) {
      const state = this.state(log.vertex);
      const pieces = (state.partial + log.msg.toString('utf8')).split('\n');
      state.partial = pieces.pop() ?? '';
      for (const piece of pieces) out.push(`#${state.number} ${piece.replace(/\r$/, '')}`);
    }
    for (const warning of status.warnings) if (warning) out.push(`WARNING: ${warning}`);
    return out;
  }

  /** Output lines still waiting for their newline (call when the stream ends). */
  flush(): string[] {
    return [...this.vertices.values()].flatMap((state) => this.flushVertex(state));
  }

  private flushVertex(state: VertexState): string[] {
    if (!state.partial) return [];
    const line = `#${state.number} ${state.partial.replace(/\r$/, '')}`;
    state.partial = '';
    return [line];
  }

  private state(digest: string): VertexState {
    let state = this.vertices.get(digest);
    if (!state) {
      state = { number: this.vertices.size + 1, named: false, ended: false, partial: '' };
      this.vertices.set(digest, state);
    }
    return state;
  }
}
