import type { BuildEvent } from '@stowage/plugin-api';
import { BuildkitProgressPrinter } from './BuildkitProgressPrinter.js';
import type { BuildFailure } from './buildFailedError.js';
import { decodeBuildkitStatus } from './decodeBuildkitStatus.js';

/** One JSON message of the Engine API's build or push progress stream. */
export interface EngineProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: unknown;
}

const CLASSIC_STEP = /^Step \d+\/\d+ : /;
// `#7 [2/3] RUN make` or `#7 [builder 2/3] RUN make`; `[internal] …` vertices are not Dockerfile steps.
const BUILDKIT_STEP = /^#(\d+) (\[(?:\S+ )?\d+\/\d+\] .*)$/;
const BUILDKIT_ERROR = /^#(\d+) ERROR: /;
// The image id as a quiet (`q`) build prints it, or the classic builder's last line.
const BUILT_IMAGE_LINE = /^(?:Successfully built ([0-9a-f]{12,64})|(sha256:[0-9a-f]{64}))$/;

/** The Dockerfile step a build log line starts, if it starts one. */
export function parseBuildStep(line: string): string | undefined {
  if (CLASSIC_STEP.test(line)) return line;
  return BUILDKIT_STEP.exec(line)?.[2];
}

/**
 * Follows one build's progress stream: re-assembles log lines (the classic builder sends
 * `Step 1/2 : FROM x` and its newline as separate messages), decodes BuildKit traces, emits
 * log/step/status events, and remembers what an error message needs.
 */
// CSI sequences (colours, cursor moves).
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]/g;

export class BuildTranscript {
  private lastStep: string | undefined;
  private failedStep: string | undefined;
  private engineError: string | undefined;
  private imageId: string | undefined;
  private pending = '';
  private readonly tail: string[] = [];
  private readonly buildkitSteps = new Map<string, string>();
  private readonly statuses = new Map<string, string>();
  private readonly buildkit = new BuildkitProgressPrinter();

  constructor(
    private readonly emit: (event: BuildEvent) => void,
    private readonly tailSize = 20,
  ) {}

  accept(event: EngineProgressEvent): void {
    if (event.error !== undefined || event.errorDetail !== undefined) {
      // Both fields carry the same text; keep the first error, later ones are consequences.
      this.engineError ??= event.errorDetail?.message || event.error || 'unknown engine error';
    } else if (typeof event.stream === 'string') {
      this.addText(event.stream);
    } else if (event.id === 'moby.buildkit.trace' && typeof event.aux === 'string') {
      this.addBuildkitTrace(event.aux);
    } else if (typeof (event.aux as { ID?: unknown } | undefined)?.ID === 'string') {
      this.imageId = (event.aux as { ID: string }).ID;
    } else if (typeof event.status === 'string') {
      this.addStatus(event.status, event.id);
    }
  }

  /** Flushes lines still waiting for their newline. */
  finish(): void {
    if (this.pending) this.addLine(this.pending);
    this.pending = '';
    for (const line of this.buildkit.flush()) this.addLine(line);
  }

  get failed(): boolean {
    return this.engineError !== undefined;
  }

  /** The id of the image the engine reported as built; undefined if the stream ended before that. */
  get builtImage(): string | undefined {
    return this.imageId;
  }

  /** What `buildFailedError` needs; `engineError` falls back to the given text. */
  failure(imageName: string, fallbackError = 'the engine reported no reason'): BuildFailure {
    return {
      imageName,
      step: this.failedStep ?? this.lastStep,
      engineError: this.engineError ?? fallbackError,
      logTail: [...this.tail],
    };
  }

  // Base-image pulls repeat `Downloading` with a progress bar many times a second: report changes only.
  private addStatus(status: string, id = ''): void {
    if (this.statuses.get(id) === status) return;
    this.statuses.set(id, status);
    this.emit({ type: 'status', message: id ? `${id}: ${status}` : status });
  }

  private addBuildkitTrace(aux: string): void {
    let lines: string[];
    try {
      lines = this.buildkit.lines(decodeBuildkitStatus(aux));
    } catch {
      // Runs inside the stream's data handler, where a throw would crash the process; progress is cosmetic.
      lines = ['(an undecodable BuildKit progress message was skipped)'];
    }
    for (const line of lines) this.addLine(line);
  }

  private addText(text: string): void {
    const pieces = (this.pending + text).split('\n');
    this.pending = pieces.pop() ?? '';
    for (const piece of pieces) this.addLine(piece.replace(/\r$/, ''));
  }

  private addLine(raw: string): void {
    // Engine output carries terminal colour codes (apt's `\x1b[91mE:`): they would show raw in
    // error messages and logs that are not a terminal.
    const line = raw.replace(ANSI_ESCAPE, '');
    if (line === '') return;
    this.tail.push(line);
    if (this.tail.length > this.tailSize) this.tail.shift();
    this.emit({ type: 'log', line });
    const built = BUILT_IMAGE_LINE.exec(line);
    if (built) this.imageId ??= built[1] ?? built[2];
    const step = parseBuildStep(line);
    if (step) {
      this.lastStep = step;
      const vertex = BUILDKIT_STEP.exec(line)?.[1];
      if (vertex) this.buildkitSteps.set(vertex, step);
      this.emit({ type: 'step', step });
      return;
    }
    // BuildKit runs stages in parallel: the step that failed is the vertex that reports the error.
    const failedVertex = BUILDKIT_ERROR.exec(line)?.[1];
    if (failedVertex && !this.failedStep) this.failedStep = this.buildkitSteps.get(failedVertex);
  }
}
