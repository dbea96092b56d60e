import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { serverGitEnv } from './runGit.js';

export interface GitCgiRequest {
  /** The git-http-backend binary (`$(git --exec-path)/git-http-backend`). */
  backend: string;
  /** GIT_PROJECT_ROOT: the folder holding every `<host>/<path>.git`. */
  projectRoot: string;
  /** PATH_INFO: `/<host>/<path>.git/info/refs`, `…/git-upload-pack` or `…/git-receive-pack`. */
  pathInfo: string;
  /** Set for an authenticated request: git-http-backend allows receive-pack only with REMOTE_USER. */
  remoteUser?: string;
}

/** The CGI meta-variables (RFC 3875 §4.1) git-http-backend reads, from the HTTP request. */
function cgiEnv(req: IncomingMessage, r: GitCgiRequest): NodeJS.ProcessEnv {
  const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const optional: Record<string, string | undefined> = {
    REMOTE_USER: r.remoteUser,
    CONTENT_LENGTH: req.headers['content-length'],
    // git sends large upload-pack requests gzipped; git-http-backend inflates them itself when told.
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'],
    // Protocol v2 is negotiated with the Git-Protocol header, which the backend reads from here.
    HTTP_GIT_PROTOCOL: req.headers['git-protocol'] as string | undefined,
  };
  return serverGitEnv({
    GIT_PROJECT_ROOT: r.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: r.pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Record<string, string>),
  });
}

/** Splits a CGI header block into the HTTP status (from `Status:`) and the other headers. */
export function parseCgiHeaders(block: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of block.split(/\r?\n/).filter(Boolean)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

/**
 * Reads the CGI header block off the backend's stdout, writes it as the response head, then
 * streams the rest: pack data flows through without being buffered.
 */
function relayCgiResponse(stdout: Readable, res: ServerResponse, onNoHeader: () => void): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const match = /\r?\n\r?\n/.exec(head.toString('latin1'));
    if (!match) return;
    stdout.off('data', onData);
    stdout.off('end', onEnd);
    const { status, headers } = parseCgiHeaders(head.subarray(0, match.index).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(match.index + match[0].length));
    stdout.pipe(res);
  };
  const onEnd = () => onNoHeader();
  stdout.on('data', onData);
  stdout.on('end', onEnd);
}

/** Runs Debian's git-http-backend as a CGI program for one request; request and response bodies stream. */
export function serveGitHttpBackend(req: IncomingMessage, res: ServerResponse, r: GitCgiRequest): void {
  const child = spawn(r.backend, [], { env: cgiEnv(req, r), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The backend may answer (403, 404) without reading the body: that is not an error here.
  child.stdin.on('error', () => {});
  req.pipe(child.stdin);
  const fail = (why: string) => {
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'content-type': 'text/plain' }).end(`git-http-backend: ${why}\n`);
  };
  child.on('error', (error) => fail(error.message));
  relayCgiResponse(child.stdout, res, () => fail(`no CGI header (${stderr.trim() || 'no output'})`));
  // Only a client that went away early stops the backend: a finished push may still be updating refs.
  res.on('close', () => {
    if (!res.writableFinished && child.exitCode === null) child.kill();
  });
}
