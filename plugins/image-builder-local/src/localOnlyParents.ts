import type { Readable } from 'node:stream';
import type Docker from 'dockerode';

const BLOCK = 512;

/**
 * The `Dockerfile` at the top of a build-context tar, read entry by entry until it is found (the
 * stream is then closed); undefined when the context has none.
 */
export async function dockerfileOfContext(context: Readable): Promise<string | undefined> {
  let buffered = Buffer.alloc(0);
  /** Bytes of an entry that is not the Dockerfile still to be dropped (never held in memory). */
  let skip = 0;
  try {
    for await (const chunk of context) {
      buffered = Buffer.concat([buffered, chunk as Buffer]);
      const dropped = Math.min(skip, buffered.length);
      buffered = buffered.subarray(dropped);
      skip -= dropped;
      while (!skip && buffered.length >= BLOCK) {
        const header = buffered.subarray(0, BLOCK);
        if (header.every((b) => b === 0)) return undefined;
        const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
        const padded = Math.ceil(size / BLOCK) * BLOCK;
        // A regular file (typeflag `0` or NUL) at the top named Dockerfile.
        if (entryName(header) === 'Dockerfile' && (header[156] === 0x30 || header[156] === 0)) {
          if (buffered.length < BLOCK + size) break;
          return buffered.subarray(BLOCK, BLOCK + size).toString('utf8');
        }
        const available = Math.min(buffered.length, BLOCK + padded);
        skip = BLOCK + padded - available;
        buffered = buffered.subarray(available);
      }
    }
    return undefined;
  } finally {
    context.destroy();
  }
}

function entryName(header: Buffer): string {
  const field = (from: number, to: number) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  const prefix = field(345, 500);
  const name = field(0, 100);
  return (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, '');
}

/** The images a Dockerfile's stages start FROM: not `scratch`, not an earlier stage, flags skipped. */
export function parentImagesOf(dockerfile: string): string[] {
  const stages = new Set<string>();
  const parents: string[] = [];
  for (const m of dockerfile.matchAll(/^\s*FROM\s+((?:--\S+\s+)*)(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = m[2]!;
    if (image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase()) && !parents.includes(image)) parents.push(image);
    if (m[3]) stages.add(m[3].toLowerCase());
  }
  return parents;
}

/**
 * Which of `images` exist only on this engine (present, without a repo digest: ZenML's
 * `is_local_image`). Pulling those would fail — or ask a registry about an image it never had.
 */
export async function localOnlyImages(docker: Docker, images: readonly string[]): Promise<string[]> {
  const local: string[] = [];
  for (const image of images) {
    const info = await docker.getImage(image).inspect().catch(() => undefined);
    if (info && !(info.RepoDigests ?? []).length) local.push(image);
  }
  return local;
}
