import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { StowageError, type ArtifactStore } from '@stowage/core';

/** A folder on this machine. Writes go to a temp file and are renamed into place (atomic). */
export class LocalArtifactStore implements ArtifactStore {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  private file(key: string): string {
    const clean = normalize(key);
    if (!key || isAbsolute(key) || clean === '..' || clean.startsWith(`..${sep}`)) {
      throw new StowageError(`artifact key "${key}" must be a relative path inside the store`, { code: 'USAGE' });
    }
    return join(this.path, clean);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.file(key));
      return true;
    } catch {
      return false;
    }
  }

  async put(key: string, data: Readable | Uint8Array | string): Promise<void> {
    const target = this.file(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const source = typeof data === 'string' || data instanceof Uint8Array ? Readable.from([data]) : data;
      await pipeline(source, createWriteStream(tmp, { flags: 'wx' }));
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw new StowageError(`could not write ${key} to the artifact store ${this.path}: ${(error as Error).message}`, {
        code: 'USAGE',
        cause: error,
      });
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.file(key);
    if (!(await this.exists(key))) {
      throw new StowageError(`artifact ${key} does not exist in ${this.path}`, { code: 'USAGE' });
    }
    return createReadStream(file);
  }

  url(key: string): string {
    return pathToFileURL(this.file(key)).href;
  }
}
