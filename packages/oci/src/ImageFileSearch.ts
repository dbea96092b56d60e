import { StowageError } from '@stowage/plugin-api';
import { registryFailure } from './registryFailure.js';

/** What the search needs of a tar entry's header. */
export interface LayerEntry {
  name: string;
  type?: string | null;
  linkname?: string | null;
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';

/**
 * The overlay rules of image layers (OCI image spec, "Representing Changes"), applied to a few
 * wanted paths while layers are read from the top down: the first layer that has a path settles
 * it; a whiteout `.wh.<name>` or an opaque directory `.wh..wh..opq` settles the paths it hides as
 * absent, but only after its own layer (a layer's whiteouts hide lower layers, not itself); so
 * does a non-directory where a wanted path has a parent directory.
 */
export class ImageFileSearch {
  readonly found = new Map<string, Buffer>();
  private readonly pending: Set<string>;
  /** Prefixes (`dir/`) and paths this layer's whiteouts hide in the layers below it. */
  private hidden: string[] = [];

  constructor(paths: readonly string[]) {
    this.pending = new Set(paths.map((p, i) => normalizeImagePath(p, `paths[${i}]`)));
  }

  /** Every path is settled: no lower layer can change the answer. */
  get done(): boolean {
    return this.pending.size === 0;
  }

  /**
   * Takes a tar entry of the current layer: the path to read when it is a wanted regular file
   * (then pass its contents to `settle`), else undefined. A wanted path that is a link is an error.
   */
  visit(entry: LayerEntry, where: string): string | undefined {
    const name = stripSlashes(entry.name);
    const slash = name.lastIndexOf('/');
    const dir = slash === -1 ? '' : name.slice(0, slash + 1);
    const base = name.slice(slash + 1);
    if (base === OPAQUE) this.hidden.push(dir);
    else if (base.startsWith(WHITEOUT)) this.hidden.push(dir + base.slice(WHITEOUT.length));
    else if (this.pending.has(name)) return this.wanted(name, entry, where);
    else if (entry.type !== 'directory') this.settleBelow(`${name}/`);
    return undefined;
  }

  settle(path: string, contents: Buffer): void {
    this.found.set(path, contents);
    this.pending.delete(path);
  }

  /** The current layer is read: its whiteouts now hide the paths still pending. */
  endLayer(): void {
    for (const hidden of this.hidden) {
      this.pending.delete(hidden);
      this.settleBelow(hidden.endsWith('/') || hidden === '' ? hidden : `${hidden}/`);
    }
    this.hidden = [];
  }

  private wanted(name: string, entry: LayerEntry, where: string): string | undefined {
    if (entry.type === 'file' || entry.type === 'contiguous-file' || !entry.type) return name;
    if (entry.type === 'symlink' || entry.type === 'link') {
      const kind = entry.type === 'symlink' ? 'a symbolic' : 'a hard';
      throw registryFailure(`${where}: ${name} is ${kind} link to ${entry.linkname ?? '?'}; only regular files can be read from the registry`, {
        hint: 'read the file the link points to instead',
      });
    }
    // A directory (or a device) where a file was wanted: there is no such file.
    this.pending.delete(name);
    return undefined;
  }

  private settleBelow(prefix: string): void {
    for (const path of this.pending) if (path.startsWith(prefix)) this.pending.delete(path);
  }
}

/** `etc/passwd` of `/etc/passwd` or `./etc/passwd`; refuses `..` and empty paths (USAGE). */
export function normalizeImagePath(path: string, keyPath: string): string {
  const normalized = stripSlashes(path);
  if (!normalized || normalized.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new StowageError(`${keyPath} "${path}" is not a file path inside an image`, { code: 'USAGE', hint: 'give a path like etc/passwd' });
  }
  return normalized;
}

function stripSlashes(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}
