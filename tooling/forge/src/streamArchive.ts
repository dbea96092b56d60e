import type { ServerResponse } from 'node:http';
import type { BareRepository } from './BareRepository.js';

/** Streams `git archive --format=tar.gz` of a commit; a failing git cuts the response rather than ending it cleanly. */
export function streamArchive(res: ServerResponse, bare: BareRepository, sha: string, prefix: string, fileName: string): void {
  const child = bare.archive(sha, prefix);
  res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${fileName}` });
  child.stdout!.pipe(res, { end: false });
  child.on('close', (code) => (code === 0 ? res.end() : res.destroy(new Error(`git archive exited with ${code}`))));
  res.on('close', () => {
    if (!res.writableFinished && child.exitCode === null) child.kill();
  });
}
