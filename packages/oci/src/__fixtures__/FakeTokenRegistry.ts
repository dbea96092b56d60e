import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A unit fake of a registry, in-process on loopback: the auth protocols (Docker token auth spec
 * with scoped tokens, or Basic) in front of an in-memory store of blobs and manifests. Edge cases
 * only; the real registry is exercised by the e2e tests.
 */
export interface FakeTokenRegistryOptions {
  auth: 'bearer' | 'basic' | 'none';
  username?: string;
  password?: string;
  /** Bearer: hand out pull-only tokens without credentials too (Docker Hub / GHCR public pulls). */
  anonymousTokens?: boolean;
  /** Bearer: answer with `access_token` (OAuth style) instead of `token`. */
  tokenField?: 'token' | 'access_token';
  /** `<repository>:<tag or digest>` → digest, answered to HEAD manifests. */
  manifests?: Record<string, string>;
  /** Status forced for every manifest request (after auth). */
  manifestStatus?: number;
  /** Bearer: challenges name no scope (the client must know what it needs). */
  challengeWithoutScope?: boolean;
  /** Bearer: tokens handed out elsewhere (by a registry component), accepted for everything. */
  acceptTokens?: string[];
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  accept?: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray, body: Buffer) => void;

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const errorBody = (code: string, message: string) => JSON.stringify({ errors: [{ code, message }] });

export class FakeTokenRegistry {
  readonly requests: RecordedRequest[] = [];
  /** `<repository>@<digest>` → content. */
  readonly blobs = new Map<string, Buffer>();
  /** `<repository>:<reference>` → stored manifest. */
  readonly storedManifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  /** Tokens currently accepted, with the scopes they grant; `revokeTokens()` empties it, like an expiry. */
  private readonly validTokens = new Map<string, string[]>();
  private issued = 0;
  private uploads = 0;
  private server?: Server;
  port = 0;

  private readonly routes: [string, RegExp, Handler][] = [
    ['HEAD', /^\/v2\/(.+)\/manifests\/([^/?]+)$/, (_q, res, m) => this.headManifest(res, m[1]!, m[2]!)],
    ['GET', /^\/v2\/(.+)\/manifests\/([^/?]+)$/, (_q, res, m) => this.getManifest(res, m[1]!, m[2]!)],
    ['PUT', /^\/v2\/(.+)\/manifests\/([^/?]+)$/, (req, res, m, body) => this.putManifest(req, res, m[1]!, m[2]!, body)],
    ['HEAD', /^\/v2\/(.+)\/blobs\/([^/?]+)$/, (_q, res, m) => this.headBlob(res, m[1]!, m[2]!)],
    ['POST', /^\/v2\/(.+)\/blobs\/uploads\/(?:\?(.*))?$/, (_q, res, m) => this.startUpload(res, m[1]!, new URLSearchParams(m[2] ?? ''))],
    ['PUT', /^\/v2\/(.+)\/blobs\/uploads\/[^/?]+\?(.*)$/, (_q, res, m, body) => this.finishUpload(res, m[1]!, new URLSearchParams(m[2]), body)],
    ['DELETE', /^\/v2\/(.+)\/blobs\/uploads\/[^/?]+/, (_q, res) => void res.writeHead(204).end()],
  ];

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
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = req.url ?? '/';
    const method = req.method ?? '';
    this.requests.push({ method, url, authorization: req.headers.authorization, accept: req.headers.accept });
    if (url.startsWith('/token')) return this.token(req, res);
    for (const [routeMethod, pattern, handler] of this.routes) {
      const match = routeMethod === method ? pattern.exec(url) : null;
      if (!match) continue;
      const actions = method === 'HEAD' || method === 'GET' ? 'pull' : 'pull,push';
      if (!this.authorized(req.headers.authorization, match[1]!, actions)) return this.challenge(res, match[1]!, actions);
      return handler(req, res, match, body);
    }
    res.writeHead(404).end();
  }

  private headManifest(res: ServerResponse, repository: string, reference: string): void {
    if (this.options.manifestStatus) return void res.writeHead(this.options.manifestStatus).end();
    const stored = this.storedManifests.get(`${repository}:${reference}`);
    const digest = stored ? sha256(stored.bytes) : this.options.manifests?.[`${repository}:${reference}`];
    if (!digest) return void res.writeHead(404).end();
    res.writeHead(200, { 'Docker-Content-Digest': digest, 'Content-Type': stored?.mediaType ?? 'application/vnd.docker.distribution.manifest.v2+json' }).end();
  }

  private getManifest(res: ServerResponse, repository: string, reference: string): void {
    const stored = this.storedManifests.get(`${repository}:${reference}`);
    if (!stored) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(errorBody('MANIFEST_UNKNOWN', 'manifest unknown'));
    res.writeHead(200, { 'Docker-Content-Digest': sha256(stored.bytes), 'Content-Type': stored.mediaType }).end(stored.bytes);
  }

  private putManifest(req: IncomingMessage, res: ServerResponse, repository: string, reference: string, body: Buffer): void {
    const manifest = { bytes: body, mediaType: req.headers['content-type'] ?? '' };
    const digest = sha256(body);
    this.storedManifests.set(`${repository}:${reference}`, manifest);
    this.storedManifests.set(`${repository}:${digest}`, manifest);
    res.writeHead(201, { 'Docker-Content-Digest': digest, Location: `/v2/${repository}/manifests/${digest}` }).end();
  }

  private headBlob(res: ServerResponse, repository: string, digest: string): void {
    const blob = this.blobs.get(`${repository}@${digest}`);
    res.writeHead(blob ? 200 : 404, blob ? { 'Content-Length': String(blob.length), 'Docker-Content-Digest': digest } : {}).end();
  }

  private startUpload(res: ServerResponse, repository: string, query: URLSearchParams): void {
    const mount = query.get('mount');
    const source = mount && this.blobs.get(`${query.get('from')}@${mount}`);
    if (mount && source) {
      this.blobs.set(`${repository}@${mount}`, source);
      return void res.writeHead(201, { 'Docker-Content-Digest': mount, Location: `/v2/${repository}/blobs/${mount}` }).end();
    }
    // An absolute Location with state in the query, as distribution sends it.
    res.writeHead(202, { Location: `${this.origin}/v2/${repository}/blobs/uploads/u${++this.uploads}?_state=s${this.uploads}`, 'Content-Length': '0' }).end();
  }

  private finishUpload(res: ServerResponse, repository: string, query: URLSearchParams, body: Buffer): void {
    const digest = query.get('digest') ?? '';
    if (query.get('_state') === null) return void res.writeHead(400).end(errorBody('BLOB_UPLOAD_INVALID', 'no upload state'));
    if (sha256(body) !== digest) {
      return void res.writeHead(400, { 'Content-Type': 'application/json' }).end(errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content'));
    }
    this.blobs.set(`${repository}@${digest}`, body);
    res.writeHead(201, { 'Docker-Content-Digest': digest, Location: `/v2/${repository}/blobs/${digest}` }).end();
  }

  private basicOk(header: string | undefined): boolean {
    const expected = Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64');
    return header === `Basic ${expected}`;
  }

  private authorized(header: string | undefined, repository: string, actions: string): boolean {
    if (this.options.auth === 'none') return true;
    if (this.options.auth === 'basic') return this.basicOk(header);
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (token && this.options.acceptTokens?.includes(token)) return true;
    const granted = token ? this.validTokens.get(token) : undefined;
    return granted?.includes(`repository:${repository}:${actions}`) === true || granted?.includes(`repository:${repository}:pull,push`) === true;
  }

  private challenge(res: ServerResponse, repository: string, actions: string): void {
    const value =
      this.options.auth === 'basic'
        ? 'Basic realm="fake"'
        : `Bearer realm="${this.origin}/token",service="fake-registry"${this.options.challengeWithoutScope ? '' : `,scope="repository:${repository}:${actions}"`}`;
    res.writeHead(401, { 'WWW-Authenticate': value, 'Content-Type': 'application/json' }).end(errorBody('UNAUTHORIZED', 'authentication required'));
  }

  /** Grants what was asked with a valid login; anonymously (when allowed) only pulls. */
  private token(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization;
    const allowed = header ? this.basicOk(header) : this.options.anonymousTokens === true;
    if (!allowed) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end(errorBody('UNAUTHORIZED', 'bad login'));
    const asked = new URL(req.url ?? '/', this.origin).searchParams.getAll('scope');
    const granted = header ? asked : asked.map((scope) => scope.replace(/:[^:]*$/, ':pull'));
    const token = `tok-${++this.issued}`;
    this.validTokens.set(token, granted);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ [this.options.tokenField ?? 'token']: token, expires_in: 300 }));
  }
}
