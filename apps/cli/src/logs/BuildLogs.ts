import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AttemptRecord } from './savedLogs.js';
import { ATTEMPT_FILE, logFileName, logsDir } from './savedLogs.js';

function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[:.]/g, '-');
}

/** Build attempts whose logs are kept (older ones are removed when a build starts). */
export const ATTEMPTS_KEPT = 20;
/** Bytes kept per image log; a runaway build cannot fill the disk. */
export const LOG_FILE_LIMIT = 16 * 1024 * 1024;

interface OpenLog {
  fd: number;
  bytes: number;
  full: boolean;
}

/**
 * The full logs of one build attempt, one file per image under `.stowage/logs/<attempt>/`,
 * written as lines arrive (already redacted by the caller), so a failed or cancelled build
 * leaves its whole log behind. Rotated: the last ATTEMPTS_KEPT attempts are kept.
 */
export class BuildLogs {
  private readonly open = new Map<string, OpenLog>();
  /** Why the logs stopped being written (a full disk, a removed folder): the build goes on without them. */
  failure?: string;

  private constructor(
    readonly attempt: string,
    readonly dir: string,
    private readonly limit: number,
  ) {}

  static start(stateDir: string, kept = ATTEMPTS_KEPT, limit = LOG_FILE_LIMIT): BuildLogs {
    const root = logsDir(stateDir);
    mkdirSync(root, { recursive: true });
    const old = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    for (const name of old.slice(0, Math.max(0, old.length - (kept - 1)))) rmSync(join(root, name), { recursive: true, force: true });
    // Names sort by start time (a later attempt never sorts first, even in the same millisecond);
    // the suffix keeps two processes that start at once apart.
    let time = Date.now();
    while (old.length && stamp(time) <= old.at(-1)!.slice(0, stamp(time).length)) time++;
    const attempt = `${stamp(time)}-${randomBytes(2).toString('hex')}`;
    const dir = join(root, attempt);
    mkdirSync(dir);
    return new BuildLogs(attempt, dir, limit);
  }

  /** Where an image's log is written. */
  pathOf(key: string): string {
    return join(this.dir, logFileName(key));
  }

  line(key: string, text: string): void {
    if (this.failure) return;
    try {
      this.write(key, text);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private write(key: string, text: string): void {
    let log = this.open.get(key);
    if (!log) {
      log = { fd: openSync(this.pathOf(key), 'a'), bytes: 0, full: false };
      this.open.set(key, log);
    }
    if (log.full) return;
    const data = Buffer.from(`${text}\n`);
    if (log.bytes + data.length > this.limit) {
      log.full = true;
      writeSync(log.fd, `… (log cut at ${this.limit} bytes)\n`);
      return;
    }
    writeSync(log.fd, data);
    log.bytes += data.length;
  }

  /** Closes the files and writes what the attempt ended as (read by `stowage logs`). */
  finish(record: Omit<AttemptRecord, 'attempt'>): void {
    for (const log of this.open.values()) closeSync(log.fd);
    this.open.clear();
    try {
      writeFileSync(join(this.dir, ATTEMPT_FILE), `${JSON.stringify({ attempt: this.attempt, ...record }, null, 2)}\n`);
    } catch (error) {
      this.failure ??= error instanceof Error ? error.message : String(error);
    }
  }
}
