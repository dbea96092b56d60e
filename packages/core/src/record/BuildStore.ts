import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StowageError, type Warning } from '@stowage/plugin-api';
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
  /** One read of the store per process and command: plan, engine and CLI all ask for it. */
  private listed?: Promise<Listing>;

  constructor(stowageDir: string) {
    this.dir = join(stowageDir, 'builds');
  }

  newId(): string {
    return randomUUID();
  }

  async save(build: PipelineBuild): Promise<void> {
    const record = PipelineBuildSchema.parse(build);
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${record.id}.json`);
    const tmp = join(this.dir, `.${record.id}.${process.pid}.${randomUUID()}.tmp`);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
    await this.syncDir();
    this.listed = undefined;
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
      throw error;
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

  /** Deletes the file the build was listed from. */
  async delete(id: string): Promise<void> {
    const build = await this.get(id);
    const file = (await this.listed)?.files.get(build.id);
    if (!file) throw new StowageError(`no build with id "${id}"`, { code: 'BUILD_NOT_FOUND' });
    await unlink(join(this.dir, file));
    await this.syncDir();
    this.listed = undefined;
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
