import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { StowageError, type ArtifactStore, type StowageErrorCode } from '@stowage/core';

const PLUGIN = '@stowage/artifact-store-local';

/**
 * Core has no artifact-store failure code. The store only holds code archives that images
 * download (`code_uploads/…`), so an artifact that cannot be written or read is code that
 * cannot be made available: ARTIFACT_STORE_FAILED. Bad keys are caller bugs: USAGE.
 */
const IO_FAILURE: StowageErrorCode = 'ARTIFACT_STORE_FAILED';

/** Errors that mean "no file is there": missing, a path through a regular file, a folder (Windows). */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** A folder on this machine. Writes go to a temp file and are renamed into place (atomic). */
export class LocalArtifactStore implements ArtifactStore {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
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
        plugin: PLUGIN,
        hint: 'use a key like `code_uploads/<digest>.tar`',
      });
    }
    return join(this.path, clean);
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

  async put(key: string, data: Readable | Uint8Array | string): Promise<void> {
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

  url(key: string): string {
    return pathToFileURL(this.file(key)).href;
  }

  private missing(key: string): StowageError {
    return new StowageError(`artifact ${key} does not exist in ${this.path}`, { code: IO_FAILURE, plugin: PLUGIN });
  }

  private failure(message: string, error: unknown): StowageError {
    const code = errnoOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    return new StowageError(`${message}: ${reason}`, {
      code: IO_FAILURE,
      plugin: PLUGIN,
      cause: error,
      ...(code === 'EACCES' || code === 'EPERM' ? { hint: `check the permissions of ${this.path} and the folders in it` } : {}),
    });
  }
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? '';
}
