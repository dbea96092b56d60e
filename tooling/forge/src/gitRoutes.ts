import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOf, basicCredentials } from './access.js';
import { serveGitHttpBackend } from './gitHttpBackend.js';
import type { RepositoryStore } from './RepositoryStore.js';

// Smart HTTP only (what every git since 1.6.6 speaks); the dumb protocol is not served.
const GIT_PATH = /^\/([^/]+)\/(.+?)\/(info\/refs|git-upload-pack|git-receive-pack)$/;

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

/**
 * Serves `/<host>/<path>[.git]/{info/refs,git-upload-pack,git-receive-pack}`; returns false for any
 * other path. Auth as both forges do it: Basic with the token as password, a challenge when needed.
 */
export function handleGitRequest(req: IncomingMessage, res: ServerResponse, store: RepositoryStore, backend: string): boolean {
  const url = new URL(req.url ?? '/', 'http://forge.invalid');
  const match = GIT_PATH.exec(decodeURIComponent(url.pathname));
  if (!match) return false;
  const [, host, path, service] = match as unknown as [string, string, string, string];
  const repo = store.find(host, path);
  if (!repo) {
    reply(res, 404, 'Repository not found.');
    return true;
  }
  const write = service === 'git-receive-pack' || url.searchParams.get('service') === 'git-receive-pack';
  const credentials = basicCredentials(req);
  const access = accessOf(repo, credentials?.token, write ? 'write' : 'read', (t) => store.isKnownToken(t));
  if (access === 'ok') {
    const pathInfo = `/${repo.host}/${repo.path}.git/${service}`;
    serveGitHttpBackend(req, res, { backend, projectRoot: store.projectRoot, pathInfo, remoteUser: credentials?.user ?? 'anonymous' });
  } else if (access === 'bad-credentials' || access === 'unauthenticated') {
    reply(res, 401, 'Authentication required.', { 'www-authenticate': 'Basic realm="forge"' });
  } else if (access === 'hidden') {
    reply(res, 404, 'Repository not found.');
  } else {
    reply(res, 403, `Permission to ${repo.path} denied.`);
  }
  return true;
}
