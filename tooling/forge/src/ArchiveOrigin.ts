import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ForgeRepository } from './ForgeRepository.js';
import type { RepositoryStore } from './RepositoryStore.js';
import { streamArchive } from './streamArchive.js';

interface Ticket {
  repo: ForgeRepository;
  sha: string;
  expires: number;
}

const TICKET_TTL_MS = 5 * 60_000;
const ARCHIVE_PATH = /^\/([^/]+)\/(.+)\/legacy\.tar\.gz\/([0-9a-f]{40}|[0-9a-f]{64})$/;

/** GitHub's tarball folder: `<owner>-<repo>-<sha7>/`. */
export function githubArchivePrefix(repo: ForgeRepository, sha: string): string {
  return `${repo.path.replace('/', '-')}-${sha.slice(0, 7)}/`;
}

/**
 * The codeload.github.com of the emulator: a second listener (so another origin, as another host
 * would be) that GitHub's `tarball` endpoint redirects to. A private repository's URL carries a
 * short-lived `token` query parameter, as codeload's do; the `Authorization` header is not accepted.
 */
export class ArchiveOrigin {
  private readonly server: Server;
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly store: RepositoryStore,
    onRequest: (req: IncomingMessage) => void,
  ) {
    this.server = createServer((req, res) => {
      onRequest(req);
      this.handle(req, res).catch((error: unknown) => res.destroy(error as Error));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Where `GET …/tarball/<sha>` redirects to. */
  urlFor(repo: ForgeRepository, sha: string): string {
    const url = new URL(`${this.url}/${repo.host}/${repo.path}/legacy.tar.gz/${sha}`);
    if (repo.private) {
      const token = randomBytes(16).toString('hex');
      this.tickets.set(token, { repo, sha, expires: Date.now() + TICKET_TTL_MS });
      url.searchParams.set('token', token);
    }
    return url.href;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private allowed(repo: ForgeRepository, sha: string, token: string | null): boolean {
    if (!repo.private) return true;
    const ticket = token === null ? undefined : this.tickets.get(token);
    return !!ticket && ticket.repo === repo && ticket.sha === sha && ticket.expires > Date.now();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/plain' }).end(`${body}\n`);
    // Deliberately strict (S3-style presigned targets refuse a second auth mechanism): a client
    // that forwards the API's Authorization header across the redirect fails here, loudly.
    if (req.headers.authorization) return text(400, 'Authorization header not accepted by the archive origin: the URL is already authorised');
    const url = new URL(req.url ?? '/', this.url);
    const match = ARCHIVE_PATH.exec(decodeURIComponent(url.pathname));
    const repo = match && this.store.find(match[1]!, match[2]!, 'github');
    const sha = match?.[3];
    if (!repo || !sha || !this.allowed(repo, sha, url.searchParams.get('token')) || (await repo.bare.resolveCommit(sha)) !== sha) {
      return text(404, '404: Not Found');
    }
    streamArchive(res, repo.bare, sha, githubArchivePrefix(repo, sha), `${githubArchivePrefix(repo, sha).slice(0, -1)}.tar.gz`);
  }
}
