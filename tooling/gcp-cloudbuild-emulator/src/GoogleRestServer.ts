import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { googleErrorBody, verifyGoogleBearer, type GoogleBearerTrust } from '@stowage/gcp-auth-emulator';
import { GoogleApiError } from './GoogleApiError.js';

/** What a route's handler gets: the path's captured parts, the JSON body, the query and who called. */
export interface RestRequest {
  params: string[];
  body: unknown;
  query: URLSearchParams;
  principal: string;
}

export interface RestRoute {
  /** The API the route belongs to (`cloudbuild`, `secretmanager`): one port serves both. */
  service: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Over the path without the query; capture groups become `params`. */
  path: RegExp;
  handle(request: RestRequest): unknown;
}

/** A request the server received: what it asked (body included), who it was, and why it was refused. */
export interface ReceivedCall {
  method: string;
  path: string;
  /** The query string, without its `?`. */
  query: string;
  /** The request body as received (empty for none). */
  body: string;
  /** The API of the route it reached; undefined when no route matched. */
  service?: string;
  principal?: string;
  status: number;
}

/**
 * A Google JSON REST API on one loopback port: every request's bearer token is verified with
 * `verifyGoogleBearer` before its route runs; errors are Google's JSON error body.
 */
export class GoogleRestServer {
  readonly calls: ReceivedCall[] = [];
  private readonly server: Server;

  constructor(
    private readonly routes: readonly RestRoute[],
    private readonly trust: GoogleBearerTrust,
  ) {
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const text = (await readBody(req)).toString('utf8');
    const call: ReceivedCall = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.search.slice(1), body: text, status: 200 };
    this.calls.push(call);
    try {
      const [route, params] = this.route(call.method, call.path);
      call.service = route.service;
      const verdict = verifyGoogleBearer(req.headers.authorization, this.trust);
      if (!verdict.ok) throw new GoogleApiError(verdict.status, verdict.reason);
      call.principal = verdict.principal;
      reply(res, 200, route.handle({ params, body: text ? parseJson(text) : {}, query: url.searchParams, principal: verdict.principal }));
    } catch (error) {
      const e = error instanceof GoogleApiError ? error : new GoogleApiError(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      call.status = e.status;
      reply(res, e.status, googleErrorBody(e.status, e.message));
    }
  }

  private route(method: string, path: string): [RestRoute, string[]] {
    for (const route of this.routes) {
      const m = route.method === method ? route.path.exec(path) : null;
      if (m) return [route, m.slice(1)];
    }
    throw new GoogleApiError(404, `Method not found: ${method} ${path}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GoogleApiError(400, 'Invalid JSON payload received.');
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
