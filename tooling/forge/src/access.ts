import type { IncomingMessage } from 'node:http';
import type { ForgeRepository } from './ForgeRepository.js';

/**
 * What a request may do with a repository:
 * - `ok`;
 * - `bad-credentials`: a token no repository knows (both forges answer 401 even on public repositories);
 * - `unauthenticated`: no token where one is needed (git gets a Basic challenge);
 * - `hidden`: a private repository the token cannot see (both forges answer 404, never 403);
 * - `forbidden`: a push with a token that can read but not write.
 */
export type Access = 'ok' | 'bad-credentials' | 'unauthenticated' | 'hidden' | 'forbidden';

export function accessOf(repo: ForgeRepository, token: string | undefined, mode: 'read' | 'write', isKnownToken: (token: string) => boolean): Access {
  if (token !== undefined && !isKnownToken(token)) return 'bad-credentials';
  if (token !== undefined && token === repo.token) return 'ok';
  if (repo.private) return token === undefined ? 'unauthenticated' : 'hidden';
  if (mode === 'read' || repo.token === undefined) return 'ok';
  return token === undefined ? 'unauthenticated' : 'forbidden';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** GitHub: `Authorization: Bearer <t>` or `Authorization: token <t>`. */
export function githubToken(req: IncomingMessage): string | undefined {
  return /^(?:bearer|token)\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

/** GitLab: `PRIVATE-TOKEN: <t>`, or an OAuth `Authorization: Bearer <t>`. */
export function gitlabToken(req: IncomingMessage): string | undefined {
  return header(req, 'private-token') || /^bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
}

/** git over HTTP: Basic auth whose password is the token (any user name, as both forges accept). */
export function basicCredentials(req: IncomingMessage): { user: string; token: string } | undefined {
  const encoded = /^basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon) || 'git', token: decoded.slice(colon + 1) };
}
