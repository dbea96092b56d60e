import { chmod, link, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

const within = (root: string, path: string) => path === root || path.startsWith(root + sep);

/** Where an entry goes: inside `root`, or an error (absolute names and `..` escapes are refused). */
function targetOf(root: string, name: string): string {
  const clean = name.replace(/^(\.\/)+/, '');
  const target = resolve(root, clean);
  if (isAbsolute(clean) || !within(root, target)) throw new Error(`archive entry ${JSON.stringify(name)} escapes the workspace`);
  return target;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes one entry; links must resolve inside the workspace, devices and FIFOs are refused. */
async function writeEntry(root: string, header: Header, body: AsyncIterable<unknown>): Promise<void> {
  const target = targetOf(root, header.name);
  const content = await readAll(body);
  if (header.type === 'directory') return void (await mkdir(target, { recursive: true }));
  await mkdir(dirname(target), { recursive: true });
  if (header.type === 'file' || header.type === 'contiguous-file') {
    await writeFile(target, content);
    return chmod(target, (header.mode ?? 0o644) & 0o7777);
  }
  if (header.type === 'symlink') {
    const to = header.linkname ?? '';
    if (isAbsolute(to) || !within(root, resolve(dirname(target), to))) throw new Error(`symlink ${header.name} -> ${to} points out of the workspace`);
    return symlink(to, target);
  }
  if (header.type === 'link') return link(targetOf(root, header.linkname ?? ''), target);
  throw new Error(`archive entry ${header.name} is a ${header.type ?? 'special file'}, which a build source may not contain`);
}

/**
 * Unpacks a gzipped tar (Cloud Build's storage source) into `dir`, keeping modes; an entry that
 * would land or point outside `dir` fails the whole fetch. Returns the number of entries.
 */
export async function untarSource(archive: Buffer, dir: string): Promise<number> {
  const root = resolve(dir);
  const entries = extract();
  let count = 0;
  const source = Readable.from([archive]).pipe(createGunzip());
  source.on('error', (error) => entries.destroy(error));
  source.pipe(entries);
  for await (const entry of entries) {
    await writeEntry(root, entry.header, entry);
    count++;
  }
  return count;
}
