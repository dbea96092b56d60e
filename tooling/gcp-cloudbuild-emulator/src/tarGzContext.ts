import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/** A file of a test source: its text and Unix mode (default 0o644). */
export type ContextFile = string | { content: string; mode: number };

/** A gzipped tar of `files` with fixed mtimes, as the plan's `stage-context` step stages a context for Cloud Build. */
export async function tarGzContext(files: Readonly<Record<string, ContextFile>>): Promise<Buffer> {
  const archive = pack();
  for (const [name, file] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const { content, mode } = typeof file === 'string' ? { content: file, mode: 0o644 } : file;
    archive.entry({ name, mode, mtime: new Date(Date.UTC(1980, 0, 2)) }, content);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}
