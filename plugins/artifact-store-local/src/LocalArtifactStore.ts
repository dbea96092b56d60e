import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { StowageError, type ArtifactLocation, type ArtifactStore, type PutOptions } from '@stowage/plugin-api';

/** Errors that mean "no file is there": missing, a path through a regular file, a folder (Windows). */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** `put` writes `<target>.<pid>.<uuid>.tmp` and renames it into place; `list` never shows these. */
const TEMP_FILE = /\.\d+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/**
 * A folder on this machine. Writes go to a temp file and are renamed into place (atomic). Files
 * it cannot read or write are ARTIFACT_STORE_FAILED; bad keys are caller bugs: USAGE (the host
 * validates keys first, the store checks again because a bad key here writes outside the folder).
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  /** True for a regular file (or a link to one); false when nothing or a folder is there. */
  async exists(key: string): Promise<boolean> {
    const file = this.file(key);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (ABSENT.has(errnoOf(error))) return false;
      // EACCES, ELOOP, EIO…: the store cannot tell, and "absent" would make callers re-upload or give up wrongly.
      throw this.failure(`could not check whether ${key} exists in the artifact store ${this.path}`, error);
    }
  }

  /** Sizes and content types mean nothing to a folder: `_options` is accepted and unused. */
  async put(key: string, data: Readable | Uint8Array | string, _options?: PutOptions): Promise<void> {
    let tmp: string | undefined;
    try {
      const target = this.file(key);
      await mkdir(dirname(target), { recursive: true });
      tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
      const source = typeof data === 'string' || data instanceof Uint8Array ? Readable.from([data]) : data;
      await pipeline(source, createWriteStream(tmp, { flags: 'wx' }));
      await rename(tmp, target);
    } catch (error) {
      // The caller's stream may never have reached `pipeline` (bad key, mkdir failure): release it.
      if (data instanceof Readable && !data.destroyed) data.destroy();
      if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
      if (StowageError.isInstance(error)) throw error;
      throw this.failure(`could not write ${key} to the artifact store ${this.path}`, error);
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.file(key);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (ABSENT.has(errnoOf(error))) throw this.missing(key);
      throw this.failure(`could not read ${key} from the artifact store ${this.path}`, error);
    }
    // Opened before answering, so a permission problem is this error and not a later stream 'error'.
    try {
      if ((await handle.stat()).isFile()) return handle.createReadStream();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw this.failure(`could not read ${key} from the artifact store ${this.path}`, error);
    }
    await handle.close().catch(() => undefined);
    throw this.missing(key);
  }

  locate(key: string): ArtifactLocation {
    const file = this.file(key);
    return { uri: pathToFileURL(file).href, scheme: 'file', path: file };
  }

  /** Removes one artifact; one that is not there is fine (deleting is idempotent). */
  async delete(key: string): Promise<void> {
    const file = this.file(key);
    try {
      await unlink(file);
    } catch (error) {
      // unlink on a folder fails with EISDIR (Linux) or EPERM (macOS): a folder is no artifact, so nothing to delete.
      if (ABSENT.has(errnoOf(error)) || (errnoOf(error) === 'EPERM' && (await isDirectory(file)))) return;
      throw this.failure(`could not delete ${key} from the artifact store ${this.path}`, error);
    }
  }

  /** Keys whose text starts with `prefix` (as object stores list), sorted; temp files of unfinished puts left out. */
  async list(prefix: string): Promise<string[]> {
    const start = this.listRoot(prefix);
    const keys: string[] = [];
    try {
      await this.walk(start, keys);
    } catch (error) {
      if (!ABSENT.has(errnoOf(error))) throw this.failure(`could not list ${JSON.stringify(prefix)} in the artifact store ${this.path}`, error);
    }
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** The file a key names; the key must be a relative path to a file strictly inside the store. */
  private file(key: string): string {
    const clean = normalize(key);
    const outside = isAbsolute(key) || clean === '..' || clean.startsWith(`..${sep}`);
    // `.`, `a/..` and `a/` name a folder (`.` the store itself), not a file.
    const notAFile = clean === '.' || key.endsWith('/') || key.endsWith(sep);
    if (!key || key.includes('\0') || outside || notAFile) {
      throw new StowageError(`artifact key ${JSON.stringify(key)} must be a relative path inside the store, naming a file`, {
        code: 'USAGE',
        hint: 'use a key like `code_uploads/<digest>.tar`',
      });
    }
    return join(this.path, clean);
  }

  /** The folder to walk for a prefix: its last complete folder (`a/b/c` → `a/b`), inside the store. */
  private listRoot(prefix: string): string {
    if (prefix.includes('\0') || isAbsolute(prefix) || prefix.split('/').includes('..')) {
      throw new StowageError(`artifact prefix ${JSON.stringify(prefix)} must be a relative path inside the store`, {
        code: 'USAGE',
        hint: 'use a prefix like `code_uploads/`, or an empty prefix for every key',
      });
    }
    return join(this.path, prefix.slice(0, prefix.lastIndexOf('/') + 1));
  }

  /** Collects `/`-separated keys of regular files (and links to files); never follows a linked folder. */
  private async walk(folder: string, keys: string[]): Promise<void> {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await this.walk(full, keys);
      else if (TEMP_FILE.test(entry.name)) continue;
      else if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(full)))) keys.push(relative(this.path, full).split(sep).join('/'));
    }
  }

  private missing(key: string): StowageError {
    return new StowageError(`artifact ${key} does not exist in ${this.path}`, { code: 'ARTIFACT_STORE_FAILED' });
  }

  private failure(message: string, error: unknown): StowageError {
    const code = errnoOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    return new StowageError(`${message}: ${reason}`, {
      code: 'ARTIFACT_STORE_FAILED',
      cause: error,
      ...(code === 'EACCES' || code === 'EPERM' ? { hint: `check the permissions of ${this.path} and the folders in it` } : {}),
    });
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? '';
}
