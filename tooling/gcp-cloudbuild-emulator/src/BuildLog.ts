import type { GcsAccess } from './GcsAccess.js';

/** How often a running build rewrites its log object (Cloud Build writes it as the build goes). */
export const LOG_FLUSH_MS = 250;

/**
 * A build's log: every line kept in memory (for `logLines`), and, with a logs bucket, written to
 * `<logsBucket>/log-<id>.txt` while the build runs and once more when it ends, so a reader
 * tailing the object (as `gcloud builds submit` does) sees it grow.
 */
export class BuildLog {
  readonly lines: string[] = [];
  /** Why the last write to the logs bucket failed, if it did. */
  writeError?: string;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private readonly target?: { bucket: string; name: string };

  constructor(
    private readonly gcs: GcsAccess,
    logsBucket: string | undefined,
    buildId: string,
  ) {
    const m = logsBucket ? /^gs:\/\/([^/]+)\/?(.*)$/.exec(logsBucket) : null;
    if (m) this.target = { bucket: m[1]!, name: `${m[2] ? `${m[2].replace(/\/$/, '')}/` : ''}log-${buildId}.txt` };
  }

  /** `gs://bucket/[folder/]log-<id>.txt`, or undefined without a logs bucket. */
  get object(): string | undefined {
    return this.target && `gs://${this.target.bucket}/${this.target.name}`;
  }

  add(...lines: string[]): void {
    this.lines.push(...lines);
    if (this.target && !this.timer) this.timer = setTimeout(() => this.flush(), LOG_FLUSH_MS);
  }

  /** The final write, awaited before the build is reported finished. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.flush();
    await this.writing;
  }

  private flush(): void {
    this.timer = undefined;
    const target = this.target;
    if (!target) return;
    const text = this.lines.map((l) => `${l}\n`).join('');
    this.writing = this.writing.then(() =>
      this.gcs.write(target.bucket, target.name, text).then(
        () => void (this.writeError = undefined),
        (error: unknown) => void (this.writeError = error instanceof Error ? error.message : String(error)),
      ),
    );
  }
}
