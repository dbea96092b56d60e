import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeManifestRegistryOptions {
  /** Basic auth with this login; none when absent. (Token auth is @stowage/oci's to test.) */
  login?: { username: string; password: string };
  /** `<repository>:<tag>` → manifest text; also served under its digest. */
  manifests: Record<string, string>;
  /** Leave `Docker-Content-Digest` out of HEAD answers, as a few registries do. */
  omitDigestHeader?: boolean;
}

export const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** A unit fake of a registry's manifest endpoints, in-process on loopback; the real one is in the e2e test. */
export class FakeManifestRegistry {
  readonly requests: { method: string; url: string; authorization?: string }[] = [];
  private server?: Server;
  private readonly manifests = new Map<string, string>();
  port = 0;

  constructor(private readonly options: FakeManifestRegistryOptions) {
    for (const [key, text] of Object.entries(options.manifests)) {
      this.manifests.set(key, text);
      this.manifests.set(`${key.slice(0, key.lastIndexOf(':'))}:${digestOf(text)}`, text);
    }
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
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const { login } = this.options;
    if (login && req.headers.authorization !== `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`) {
      return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' }).end();
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(req.url ?? '');
    const text = match && this.manifests.get(`${match[1]}:${match[2]}`);
    if (!text) return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' };
    if (req.method === 'GET' || !this.options.omitDigestHeader) headers['Docker-Content-Digest'] = digestOf(text);
    res.writeHead(200, headers).end(req.method === 'GET' ? text : undefined);
  }
}
