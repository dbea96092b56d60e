import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArtifactRegistryDoubleOptions {
  /** The access token it takes as the password of `oauth2accesstoken`. */
  token: string;
  /** Artifact Registry repositories that exist, as `<project>/<repository>`. */
  repositories: readonly string[];
  /** Of those, the ones the token may not write to. */
  readOnly?: readonly string[];
}

/**
 * A unit double of what Artifact Registry answers to the start of a push (the one thing the real
 * loopback docker-registry of the e2e test cannot show: it creates every repository on push):
 * `POST /v2/<project>/<repository>/<image>/blobs/uploads/` is 202 in an existing repository,
 * 404 NAME_UNKNOWN in a missing one, 403 DENIED without write permission; error bodies and the
 * Basic challenge as Artifact Registry words them.
 */
export class ArtifactRegistryDouble {
  readonly requests: { method: string; url: string }[] = [];
  private server?: Server;
  address = '';

  constructor(private readonly options: ArtifactRegistryDoubleOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ method: req.method ?? '', url });
    const login = `Basic ${Buffer.from(`oauth2accesstoken:${this.options.token}`).toString('base64')}`;
    if (req.headers.authorization !== login) {
      return errors(res, 401, 'UNAUTHORIZED', 'authentication failed', { 'WWW-Authenticate': 'Basic realm="https://europe-west1-docker.pkg.dev/v2/token"' });
    }
    const upload = /^\/v2\/([^/]+)\/([^/]+)\/.+\/blobs\/uploads\/(?:\?.*)?$/.exec(url);
    if (req.method === 'POST' && upload) return this.startUpload(res, upload[1]!, upload[2]!, url);
    if (req.method === 'DELETE' && url.startsWith('/uploads/')) return void res.writeHead(204).end();
    errors(res, 404, 'NOT_FOUND', 'not found by the double');
  }

  private startUpload(res: ServerResponse, project: string, repository: string, url: string): void {
    const name = `${project}/${repository}`;
    if (!this.options.repositories.includes(name)) return errors(res, 404, 'NAME_UNKNOWN', `Repository "${repository}" not found`);
    if (this.options.readOnly?.includes(name)) {
      return errors(res, 403, 'DENIED', `Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/${project}/locations/europe-west1/repositories/${repository}" (or it may not exist)`);
    }
    res.writeHead(202, { Location: `/uploads/${encodeURIComponent(url)}`, 'Docker-Upload-UUID': 'double' }).end();
  }
}

function errors(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify({ errors: [{ code, message }] }));
}
