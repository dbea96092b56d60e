import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { toStowageError } from '@stowage/plugin-api';
import type { ContextEntry, ContextSelection } from './ContextSelection.js';
import { normalisedMode } from './normalisedMode.js';
import { smallFileContents } from './smallFileContents.js';

/**
 * A digest of what the selection ships, cheaper and steadier than the archive's: one line per entry
 * (path, type, normalised mode, content sha256 or link target), in path order. It changes when a
 * file's content, executable bit, name or presence changes, and ignores mtimes, owners and the root.
 */
export async function sourceDigest(selection: ContextSelection): Promise<string> {
  const digest = createHash('sha256');
  // Small files are read ahead a bounded window at a time; large ones are streamed one by one.
  for await (const [entry, content] of smallFileContents(selection.entries)) {
    const body =
      entry.type === 'file'
        ? content
          ? contentSha256(content)
          : await fileSha256(entry)
        : entry.type === 'symlink'
          ? (entry.linkTarget ?? '')
          : '';
    digest.update(`${JSON.stringify([entry.path, entry.type, normalisedMode(entry.type, entry.mode), body])}\n`);
  }
  return `sha256:${digest.digest('hex')}`;
}

async function fileSha256(entry: ContextEntry): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(entry.absolutePath) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (error) {
    throw toStowageError(error, {
      code: 'CONTEXT_INVALID',
      file: entry.absolutePath,
      message: `Cannot read ${entry.absolutePath} to digest the build context`,
      hint: `make ${entry.path} readable, or add it to .dockerignore`,
    });
  }
  return hash.digest('hex');
}

function contentSha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
