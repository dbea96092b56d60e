import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StowageError, type Warning } from '@stowage/plugin-api';
import { acquireLock, type HeldLock, type LockOptions } from './BuildLock.js';
import { storeFailure } from './storeFailure.js';
import { utf8Text } from '../files/decodeUtf8.js';
import { readRegularFile } from '../files/readRegularFile.js';
import { BUILD_ID, PipelineBuildSchema, type PipelineBuild } from '../model/PipelineBuild.js';

/** The builds a store holds, and one warning for the files in it that are not readable records. */
export interface StoreListing {
  builds: PipelineBuild[];
  warnings: Warning[];
}

interface Listing extends StoreListing {
  /** Build id → the file name it was read from (never a name made from a record's content). */
  files: ReadonlyMap<string, string>;
}

export interface SaveOptions {
  /** Checked right before the record is renamed into place: a cancelled build records nothing. */
  signal?: AbortSignal;
  /** The images were built: a failure to save says they are not recorded. */
  afterBuild?: boolean;
}

/** Temporary files of ours (`.<name>.<pid>.<uuid>.tmp`, lock files `.stale`) older than this are swept. */
const STALE_TEMP_MS = 5 * 60_000;
const TEMP_NAME = /\.\d+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(tmp|stale)$/;
/** The writability probe writes this much, so a nearly full disk is found before building, not after. */
const PROBE_BYTES = 64 * 1024;

/**
 * An embedded build store: one JSON file per build under `.stowage/builds/`. Each record is
 * written to a temporary file, fsynced and renamed into place, so readers see a whole record or
 * none, and concurrent `stowage build` processes never overwrite each other (ids are unique).
 * A record is the file `<id>.json` holding that id: anything else in the folder (a copy under
 * another name, a torn or foreign file, a named pipe) is skipped and reported, never opened
 * as more than a regular file and never followed as a link.
 */
export class BuildStore {
  readonly dir: string;
  /** Lock files, one per plan checksum being built (`<hex>.lock`). */
  readonly locksDir: string;
  /** One read of the store per process and command: plan, engine and CLI all ask for it. */
  private listed?: Promise<Listing>;

  constructor(stowageDir: string) {
    this.dir = join(stowageDir, 'builds');
    this.locksDir = join(stowageDir, 'locks');
  }

  newId(): string {
    return randomUUID();
  }

  /**
   * Writes the record to a temporary file, fsyncs it and renames it into place. The signal is
   * checked in the same turn as the rename is started, so a build cancelled before that records
   * nothing; a failed save removes its temporary file.
   */
  async save(build: PipelineBuild, o: SaveOptions = {}): Promise<void> {
    const record = PipelineBuildSchema.parse(build);
    const target = join(this.dir, `${record.id}.json`);
    const tmp = join(this.dir, `.${record.id}.${process.pid}.${randomUUID()}.tmp`);
    try {
      await makeDir(this.dir);
      const handle = await open(tmp, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      throwIfCancelled(o.signal);
      await rename(tmp, target);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw storeFailure(error, { doing: 'save the build record', dir: this.dir, afterBuild: o.afterBuild });
    }
    this.listed = undefined;
    await this.syncDir().catch(() => undefined); // the record is in place; a failed folder fsync loses nothing but durability
  }

  /**
   * Checks, before anything is built or pushed, that a record can be saved: the folder can be
   * made, a file of a record's size written, fsynced and removed. Temporary files that a killed
   * save or lock left behind (ours by name, older than a few minutes) are swept on the way.
   */
  async checkWritable(): Promise<void> {
    const probe = join(this.dir, `.probe.${process.pid}.${randomUUID()}.tmp`);
    try {
      await makeDir(this.dir);
      await this.sweep(this.dir);
      await this.sweep(this.locksDir);
      const handle = await open(probe, 'wx', 0o644);
      try {
        await handle.writeFile(Buffer.alloc(PROBE_BYTES));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw storeFailure(error, { doing: 'write build records', dir: this.dir });
    } finally {
      await unlink(probe).catch(() => undefined);
    }
  }

  /**
   * Takes the lock of one plan checksum: concurrent builds of the same images wait for the first
   * and can then reuse what it recorded. Released by the holder; a holder that died frees it.
   */
  async lock(checksum: string, o: LockOptions = {}): Promise<HeldLock> {
    const name = checksum.replace(/^sha256:/, '');
    if (!/^[0-9a-f]{64}$/.test(name)) throw new StowageError(`"${checksum}" is not a plan checksum`, { code: 'BUILD_INVALID' });
    try {
      return await acquireLock(join(this.locksDir, `${name}.lock`), o);
    } catch (error) {
      if (o.signal?.aborted) throw cancelled(error);
      throw storeFailure(error, { doing: 'lock the build', dir: this.locksDir });
    }
  }

  /** Forgets the listing read so far (another process may have written since). */
  refresh(): void {
    this.listed = undefined;
  }

  private async sweep(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && now - info.mtimeMs > STALE_TEMP_MS) await unlink(file).catch(() => undefined);
    }
  }

  /** Every readable build, newest first. Half-written temp files are never listed. */
  async list(): Promise<PipelineBuild[]> {
    return (await this.listing()).builds;
  }

  /** The builds, and a warning naming the files of the folder that are not build records. */
  listing(): Promise<StoreListing> {
    this.listed ??= this.readAll();
    this.listed.catch(() => (this.listed = undefined));
    return this.listed;
  }

  private async readAll(): Promise<Listing> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { builds: [], warnings: [], files: new Map() };
      throw storeFailure(error, { doing: 'read the build records', dir: this.dir });
    }
    const builds: PipelineBuild[] = [];
    const files = new Map<string, string>();
    const skipped: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const read = this.readRecord(name);
      if (typeof read === 'string') skipped.push(`${name} (${read})`);
      else {
        builds.push(read);
        files.set(read.id, name);
      }
    }
    builds.sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
    return { builds, files, warnings: skipped.length ? [this.skippedWarning(skipped)] : [] };
  }

  /** The record in `<dir>/<name>`, or why it is not one. */
  private readRecord(name: string): PipelineBuild | string {
    const id = name.slice(0, -'.json'.length);
    if (!BUILD_ID.test(id)) return 'its name is not a build id';
    let raw: unknown;
    try {
      const bytes = readRegularFile(join(this.dir, name), { what: 'the build record', display: name, code: 'BUILD_INVALID', noFollow: true });
      raw = JSON.parse(utf8Text(bytes, { what: 'the build record', display: name, code: 'BUILD_INVALID' }));
    } catch (error) {
      return StowageError.isInstance(error) ? error.message.replace(/^the build record /, '') : 'not valid JSON';
    }
    const parsed = PipelineBuildSchema.safeParse(raw);
    if (!parsed.success) return 'not a build record of this Stowage version';
    // A record copied or renamed by hand would list one build twice, or delete another's file.
    if (parsed.data.id !== id) return `holds build ${parsed.data.id}: a copy, or renamed by hand`;
    return parsed.data;
  }

  private skippedWarning(skipped: readonly string[]): Warning {
    return {
      message: `${skipped.length} file${skipped.length === 1 ? ' is' : 's are'} not a build record Stowage can read and ${skipped.length === 1 ? 'was' : 'were'} skipped: ${skipped.join(', ')}; move ${skipped.length === 1 ? 'it' : 'them'} out of the folder`,
      file: this.dir,
    };
  }

  /** By full id or unique id prefix. */
  async get(idOrPrefix: string): Promise<PipelineBuild> {
    if (!BUILD_ID.test(idOrPrefix)) {
      throw new StowageError(`"${idOrPrefix}" is not a build id`, { code: 'USAGE', hint: 'a build id (or prefix) has letters, digits, `.`, `_` and `-`; run `stowage builds list` to see them' });
    }
    const all = await this.list();
    const exact = all.find((b) => b.id === idOrPrefix);
    if (exact) return exact;
    const matches = all.filter((b) => b.id.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0]!;
    throw new StowageError(
      matches.length ? `build id prefix "${idOrPrefix}" matches ${matches.length} builds` : `no build with id "${idOrPrefix}"`,
      { code: 'BUILD_NOT_FOUND', hint: 'run `stowage builds list` to see build ids' },
    );
  }

  /**
   * Deletes the file the build was listed from. Idempotent under races: a record another
   * process deleted after it was listed here counts as deleted.
   */
  async delete(id: string): Promise<void> {
    const build = await this.get(id);
    const file = (await this.listed)?.files.get(build.id);
    if (!file) throw new StowageError(`no build with id "${id}"`, { code: 'BUILD_NOT_FOUND' });
    try {
      await unlink(join(this.dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw storeFailure(error, { doing: `delete build ${build.id}`, dir: this.dir });
    }
    this.listed = undefined;
    await this.syncDir().catch(() => undefined);
  }

  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

function cancelled(cause?: unknown): StowageError {
  return new StowageError('build cancelled; nothing was recorded', { code: 'BUILD_CANCELLED', cause });
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal.reason);
}

/**
 * `mkdir -p` that reports the real reason: Node's recursive mkdir says ENOENT where a folder
 * cannot be made on a read-only file system, so the first missing folder is made on its own.
 */
async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = dir;
    while (dirname(missing) !== missing && !(await stat(dirname(missing)).then(() => true, () => false))) missing = dirname(missing);
    await mkdir(missing);
    throw error;
  }
}
