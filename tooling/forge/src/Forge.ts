import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiRequest } from './ApiRequest.js';
import { ArchiveOrigin } from './ArchiveOrigin.js';
import type { CreateRepositoryOptions, ForgeKind, ForgeRepository } from './ForgeRepository.js';
import { handleGitRequest } from './gitRoutes.js';
import { handleGithubApi } from './githubApi.js';
import { handleGitlabApi } from './gitlabApi.js';
import { RepositoryStore } from './RepositoryStore.js';
import { runGit } from './runGit.js';
import { sendJson } from './sendJson.js';

export interface RecordedRequest {
  /** `forge`: the API and git listener; `archive`: the codeload-like origin tarball redirects go to. */
  origin: 'forge' | 'archive';
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface ForgeOptions {
  /** Folder for the bare repositories (default: a new temporary folder, removed by `stop()`). */
  root?: string;
}

type RoutedApi = Pick<ApiRequest, 'host' | 'apiBase' | 'segments'> & { kind: ForgeKind };

/** Which forge's API a path is for: `/repos/…` is api.github.com; `/<host>/api/v3/…` GHE; `/<host>/api/v4/…` GitLab. */
function routeApi(origin: string, segments: string[]): RoutedApi | undefined {
  if (segments[0] === 'repos') return { kind: 'github', host: 'github.com', apiBase: origin, segments };
  const [host, api, version] = segments;
  if (!host || api !== 'api' || (version !== 'v3' && version !== 'v4')) return undefined;
  return { kind: version === 'v3' ? 'github' : 'gitlab', host: host.toLowerCase(), apiBase: `${origin}/${host}/api/${version}`, segments: segments.slice(3) };
}

/**
 * A GitHub + GitLab emulator on 127.0.0.1 for tests: real git over smart HTTP (Debian's
 * git-http-backend) and the REST subset the code-repository plugins use, over bare repositories
 * in a temporary folder. See the package README for what it does not emulate.
 */
export class Forge {
  /** Every request both listeners received, in order (headers included, to check what a client sent). */
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly archive: ArchiveOrigin;

  private constructor(
    readonly root: string,
    private readonly ownsRoot: boolean,
    private readonly store: RepositoryStore,
    private readonly backend: string,
  ) {
    const record = (origin: RecordedRequest['origin']) => (req: IncomingMessage) =>
      this.requests.push({ origin, method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    this.archive = new ArchiveOrigin(store, record('archive'));
    this.server = createServer((req, res) => {
      record('forge')(req);
      this.route(req, res).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { message: `forge: ${error instanceof Error ? error.message : String(error)}` });
      });
    });
  }

  static async start(options: ForgeOptions = {}): Promise<Forge> {
    const root = options.root ?? (await mkdtemp(join(tmpdir(), 'stowage-forge-')));
    const backend = join((await runGit(['--exec-path'])).trim(), 'git-http-backend');
    const forge = new Forge(root, options.root === undefined, new RepositoryStore(join(root, 'git')), backend);
    await new Promise<void>((resolve) => forge.server.listen(0, '127.0.0.1', resolve));
    await forge.archive.listen();
    return forge;
  }

  /** `http://127.0.0.1:<port>`: git at `/<host>/<path>.git`, GitHub's API at the root (api.github.com) and `/<host>/api/v3`, GitLab's at `/<host>/api/v4`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The codeload-like origin (another port, so another origin) GitHub tarball requests redirect to. */
  get archiveUrl(): string {
    return this.archive.url;
  }

  createRepository(options: CreateRepositoryOptions): Promise<ForgeRepository> {
    return this.store.create(options);
  }

  repository(host: string, path: string): ForgeRepository | undefined {
    return this.store.find(host, path);
  }

  repositories(): ForgeRepository[] {
    return this.store.all();
  }

  /** The loopback URL git can push to and fetch from; with `token`, as Basic credentials in the URL. */
  gitUrl(repo: ForgeRepository, token?: string): string {
    const auth = token === undefined ? '' : `oauth2:${encodeURIComponent(token)}@`;
    return `http://${auth}${this.url.slice('http://'.length)}/${repo.host}/${repo.path}.git`;
  }

  /** Octokit's `baseUrl` for a host: the root for github.com (api.github.com), `/<host>/api/v3` for GitHub Enterprise. */
  githubApiUrl(host = 'github.com'): string {
    return host === 'github.com' ? this.url : `${this.url}/${host}/api/v3`;
  }

  /** A GitLab instance URL (gitbeaker's `host`): `/<host>`, served like a GitLab installed under a relative URL root. */
  gitlabUrl(host = 'gitlab.com'): string {
    return `${this.url}/${host}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await Promise.all([new Promise<void>((resolve) => this.server.close(() => resolve())), this.archive.close()]);
    if (this.ownsRoot) await rm(this.root, { recursive: true, force: true });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const api = routeApi(url.origin, url.pathname.split('/').slice(1));
    if (api?.kind === 'github') return handleGithubApi({ req, res, url, ...api }, this.store, this.archive);
    if (api?.kind === 'gitlab') return handleGitlabApi({ req, res, url, ...api }, this.store);
    if (!handleGitRequest(req, res, this.store, this.backend)) sendJson(res, 404, { message: 'Not Found' });
  }
}
