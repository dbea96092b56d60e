import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A unit fake of the registry auth protocols (Docker token auth spec, or Basic), in-process on
 * loopback. It only knows HEAD manifests; the real registry is exercised by the e2e test.
 */
export interface FakeTokenRegistryOptions {
  auth: 'bearer' | 'basic' | 'none';
  username?: string;
  password?: string;
  /** Bearer: hand out tokens without credentials too (Docker Hub / GHCR public pulls). */
  anonymousTokens?: boolean;
  /** Bearer: answer with `access_token` (OAuth style) instead of `token`. */
  tokenField?: 'token' | 'access_token';
  /** `<repository>:<tag or digest>` → digest. */
  manifests?: Record<string, string>;
  /** Status forced for every manifest request (after auth). */
  manifestStatus?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  accept?: string;
}

export class FakeTokenRegistry {
  readonly requests: RecordedRequest[] = [];
  /** Tokens currently accepted; `revokeTokens()` empties it, like an expiry. */
  private readonly validTokens = new Set<string>();
  private issued = 0;
  private server?: Server;
  port = 0;

  constructor(readonly options: FakeTokenRegistryOptions) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.url.startsWith('/token'));
  }

  revokeTokens(): void {
    this.validTokens.clear();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    this.requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization, accept: req.headers.accept });
    if (url.startsWith('/token')) return this.token(req, res);
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url);
    if (!match) return void res.writeHead(404).end();
    if (!this.authorized(req.headers.authorization)) return this.challenge(res, match[1]!);
    if (this.options.manifestStatus) return void res.writeHead(this.options.manifestStatus).end();
    const digest = this.options.manifests?.[`${match[1]}:${match[2]}`];
    if (!digest) return void res.writeHead(404).end();
    res.writeHead(200, { 'Docker-Content-Digest': digest, 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' }).end();
  }

  private basicOk(header: string | undefined): boolean {
    const expected = Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64');
    return header === `Basic ${expected}`;
  }

  private authorized(header: string | undefined): boolean {
    if (this.options.auth === 'none') return true;
    if (this.options.auth === 'basic') return this.basicOk(header);
    return header?.startsWith('Bearer ') === true && this.validTokens.has(header.slice('Bearer '.length));
  }

  private challenge(res: ServerResponse, repository: string): void {
    const value =
      this.options.auth === 'basic'
        ? 'Basic realm="fake"'
        : `Bearer realm="${this.origin}/token",service="fake-registry",scope="repository:${repository}:pull"`;
    res.writeHead(401, { 'WWW-Authenticate': value, 'Content-Type': 'application/json' }).end();
  }

  private token(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization;
    const allowed = header ? this.basicOk(header) : this.options.anonymousTokens === true;
    if (!allowed) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    const token = `tok-${++this.issued}`;
    this.validTokens.add(token);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ [this.options.tokenField ?? 'token']: token, expires_in: 300 }));
  }
}
