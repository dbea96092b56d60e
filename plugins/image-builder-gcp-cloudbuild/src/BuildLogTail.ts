/** How many of the last log lines a failure shows. */
export const TAIL_LINES = 20;

/** Reads an object from a byte offset: HTTP status and the bytes from there. */
export type ObjectReader = (bucket: string, name: string, offset: number) => Promise<{ status: number; bytes: Buffer }>;

/**
 * Follows a build's log object `<logsBucket>/log-<id>.txt` as `gcloud builds submit` does: each
 * read asks for the bytes after those already seen (`Range: bytes=<n>-`); 404 (not written yet)
 * and 416 (nothing new) are waits. Lines are passed on whole; the last ones are kept for a failure.
 * A log that cannot be read is said once and the build goes on without it.
 */
export class BuildLogTail {
  readonly last: string[] = [];
  private offset = 0;
  private pending = Buffer.alloc(0);
  private unreadable?: string;
  private readonly target?: { bucket: string; name: string };

  constructor(
    private readonly read: ObjectReader,
    location: { buildId: string; logsBucket?: string },
    private readonly onLine: (line: string) => void,
  ) {
    const m = location.logsBucket ? /^gs:\/\/([^/]+)\/?(.*)$/.exec(location.logsBucket) : null;
    if (m) this.target = { bucket: m[1]!, name: `${m[2] ? `${m[2].replace(/\/$/, '')}/` : ''}log-${location.buildId}.txt` };
  }

  /** `gs://…/log-<id>.txt`, or undefined when the build has no logs bucket. */
  get object(): string | undefined {
    return this.target && `gs://${this.target.bucket}/${this.target.name}`;
  }

  /** Why the log could not be read, once it could not. */
  get problem(): string | undefined {
    return this.unreadable;
  }

  /** Reads what is new; returns a problem the first time the log turns out unreadable. */
  async drain(): Promise<string | undefined> {
    if (!this.target || this.unreadable) return undefined;
    const answer = await this.read(this.target.bucket, this.target.name, this.offset).catch((error: unknown) => ({ status: 0, bytes: Buffer.alloc(0), error }));
    if (answer.status === 404 || answer.status === 416) return undefined;
    if (answer.status !== 200 && answer.status !== 206) {
      const why = 'error' in answer ? String((answer.error as Error).message ?? answer.error) : `HTTP ${answer.status}`;
      return (this.unreadable = `cannot read the build log ${this.object}: ${why}`);
    }
    // A server that ignores Range sends the whole object again.
    const fresh = answer.status === 200 ? answer.bytes.subarray(this.offset) : answer.bytes;
    this.offset += fresh.length;
    this.take(Buffer.concat([this.pending, fresh]));
    return undefined;
  }

  /** After the build: a last line without its newline. */
  flush(): void {
    if (this.pending.length) this.add(this.pending.toString('utf8'));
    this.pending = Buffer.alloc(0);
  }

  private take(bytes: Buffer): void {
    let start = 0;
    // Split on the newline byte: it is never part of a multi-byte UTF-8 character.
    for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
      this.add(bytes.subarray(start, end).toString('utf8').replace(/\r$/, ''));
      start = end + 1;
    }
    this.pending = Buffer.from(bytes.subarray(start));
  }

  private add(line: string): void {
    this.onLine(line);
    this.last.push(line);
    if (this.last.length > TAIL_LINES) this.last.shift();
  }
}
