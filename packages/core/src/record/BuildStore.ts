import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StowageError } from '@stowage/plugin-api';
import { PipelineBuildSchema, type PipelineBuild } from '../model/PipelineBuild.js';

/**
 * An embedded build store: one JSON file per build under `.stowage/builds/`. Each record is
 * written to a temporary file, fsynced and renamed into place, so readers see a whole record or
 * none, and concurrent `stowage build` processes never overwrite each other (ids are unique).
 */
export class BuildStore {
  readonly dir: string;
  /** One read of the store per process and command: plan, engine and CLI all ask for it. */
  private listed?: Promise<PipelineBuild[]>;

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
  list(): Promise<PipelineBuild[]> {
    this.listed ??= this.readAll();
    this.listed.catch(() => (this.listed = undefined));
    return this.listed;
  }

  private async readAll(): Promise<PipelineBuild[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = names.filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    // Records of another tool version or torn by hand are skipped, not fatal: the store stays usable.
    const read = await Promise.all(files.map((name) => this.read(join(this.dir, name)).catch(() => undefined)));
    const builds = read.filter((b): b is PipelineBuild => b !== undefined);
    return builds.sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
  }

  /** By full id or unique id prefix. */
  async get(idOrPrefix: string): Promise<PipelineBuild> {
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

  async delete(id: string): Promise<void> {
    const build = await this.get(id);
    await unlink(join(this.dir, `${build.id}.json`));
    await this.syncDir();
    this.listed = undefined;
  }

  private async read(file: string): Promise<PipelineBuild> {
    return PipelineBuildSchema.parse(JSON.parse(await readFile(file, 'utf8')));
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
