import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { CodeLayerBlob } from './writeCodeLayer.js';

/** Below a project's `.stowage` folder; deleting it only costs re-reading the code once. */
export const CODE_LAYER_CACHE_FILE = join('cache', 'code-layers.json');
const VERSION = 1;
/** Layers remembered (least recently used dropped): a few builds' worth of every layer. */
const MAX_LAYERS = 512;
const MAX_USERS = 64;

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const CacheSchema = z.object({
  version: z.literal(VERSION),
  layers: z.record(z.string(), z.object({ digest: Digest, diffId: Digest, size: z.number().int().min(0), tarSize: z.number().int().min(0), used: z.number() })),
  users: z.record(z.string(), z.object({ uid: z.number().int().min(0), gid: z.number().int().min(0), used: z.number() })),
});
type CacheData = z.infer<typeof CacheSchema>;

/**
 * What earlier appends learnt, so that an unchanged code layer is neither read nor compressed
 * again: the blob digests of each layer key (`codeLayerKey`: files' content digests, owner, mtime,
 * compressor), and the numeric owner a user name has in a dependency image. A hint only: the
 * registry is still asked for every blob, and a blob it lacks is written again (the registry
 * checks its digest). A missing, foreign or corrupt file is an empty cache.
 */
export class CodeLayerCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly data: CacheData,
    private readonly now: number,
  ) {}

  static open(stateDir: string, now = Date.now()): CodeLayerCache {
    const file = join(stateDir, CODE_LAYER_CACHE_FILE);
    return new CodeLayerCache(file, readCache(file), now);
  }

  layer(key: string): CodeLayerBlob | undefined {
    const hit = this.data.layers[key];
    if (!hit) return undefined;
    hit.used = this.now;
    this.dirty = true;
    return { digest: hit.digest, diffId: hit.diffId, size: hit.size, tarSize: hit.tarSize };
  }

  rememberLayer(key: string, blob: CodeLayerBlob): void {
    this.data.layers[key] = { ...blob, used: this.now };
    this.dirty = true;
  }

  /** The owner `user` resolved to in the image `imageDigest` (images are immutable: a digest's answer never changes). */
  owner(imageDigest: string, user: string): { uid: number; gid: number } | undefined {
    const hit = this.data.users[`${imageDigest} ${user}`];
    return hit && { uid: hit.uid, gid: hit.gid };
  }

  rememberOwner(imageDigest: string, user: string, owner: { uid: number; gid: number }): void {
    this.data.users[`${imageDigest} ${user}`] = { ...owner, used: this.now };
    this.dirty = true;
  }

  /** Written atomically (temp file + rename): concurrent runs never see half a file. Best effort. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    // What another run (or another image of this one) saved meanwhile is kept: ours win on the same key.
    const saved = readCache(this.file);
    const layers = { ...saved.layers, ...this.data.layers };
    const users = { ...saved.users, ...this.data.users };
    const data: CacheData = { version: VERSION, layers: newest(layers, MAX_LAYERS), users: newest(users, MAX_USERS) };
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify(data), { mode: 0o600 });
      await rename(temp, this.file);
    } catch {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

/** The cache file's contents; a missing, foreign or corrupt file reads as empty. */
function readCache(file: string): CacheData {
  try {
    const parsed = CacheSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Absent or unreadable: empty.
  }
  return { version: VERSION, layers: {}, users: {} };
}

function newest<T extends { used: number }>(records: Record<string, T>, max: number): Record<string, T> {
  const entries = Object.entries(records);
  if (entries.length <= max) return records;
  return Object.fromEntries(entries.sort((a, b) => b[1].used - a[1].used).slice(0, max));
}
