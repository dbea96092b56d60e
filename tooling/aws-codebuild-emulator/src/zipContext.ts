import yazl from 'yazl';

/** A file of a test context: its text and Unix mode (default 0o644). */
export type ContextFile = string | { content: string; mode: number };

/** A ZIP of `files` with fixed mtimes and modes, as a build context staged for CodeBuild (yazl 3.3.1). */
export function zipContext(files: Readonly<Record<string, ContextFile>>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, file] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const { content, mode } = typeof file === 'string' ? { content: file, mode: 0o644 } : file;
    zip.addBuffer(Buffer.from(content), name, { mtime: new Date(Date.UTC(1980, 0, 2)), mode: 0o100000 | mode });
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
