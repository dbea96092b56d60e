import { join } from 'node:path';
import { BareRepository } from './BareRepository.js';
import { DEFAULT_HOST, type CreateRepositoryOptions, type ForgeRepository } from './ForgeRepository.js';

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkOptions(o: CreateRepositoryOptions, host: string): void {
  const segments = o.path.split('/');
  if (!HOST.test(host)) throw new Error(`forge: ${JSON.stringify(host)} is not a host name`);
  if (!segments.every((s) => SEGMENT.test(s) && !s.endsWith('.git'))) throw new Error(`forge: ${JSON.stringify(o.path)} is not a repository path`);
  if (o.kind === 'github' ? segments.length !== 2 : segments.length < 2) {
    throw new Error(`forge: a ${o.kind} repository path is ${o.kind === 'github' ? 'owner/name' : 'group[/subgroup…]/project'}, got ${JSON.stringify(o.path)}`);
  }
  if (o.private && !o.token) throw new Error(`forge: private repository ${o.path} needs a token`);
}

/** The repositories of one forge: bare repositories under `<root>/<host>/<path>.git`, the git-http-backend project root. */
export class RepositoryStore {
  private readonly byKey = new Map<string, ForgeRepository>();
  private nextId = 1001;

  constructor(readonly projectRoot: string) {}

  async create(options: CreateRepositoryOptions): Promise<ForgeRepository> {
    const host = (options.host ?? DEFAULT_HOST[options.kind]).toLowerCase();
    checkOptions(options, host);
    const key = `${host}/${options.path.toLowerCase()}`;
    if (this.byKey.has(key)) throw new Error(`forge: repository ${key} exists already`);
    const bare = await BareRepository.init(join(this.projectRoot, host, `${options.path}.git`), options.defaultBranch ?? 'main');
    const repo: ForgeRepository = {
      kind: options.kind,
      host,
      path: options.path,
      id: this.nextId++,
      private: options.private ?? false,
      token: options.token,
      bare,
      remoteUrl: `https://${host}/${options.path}.git`,
    };
    this.byKey.set(key, repo);
    return repo;
  }

  /** By host and path (`.git` suffix optional), case-insensitively. */
  find(host: string, path: string, kind?: ForgeRepository['kind']): ForgeRepository | undefined {
    const repo = this.byKey.get(`${host.toLowerCase()}/${path.replace(/\.git$/i, '').toLowerCase()}`);
    return repo && (kind === undefined || repo.kind === kind) ? repo : undefined;
  }

  findById(host: string, id: number, kind: ForgeRepository['kind']): ForgeRepository | undefined {
    return this.all().find((r) => r.id === id && r.host === host.toLowerCase() && r.kind === kind);
  }

  all(): ForgeRepository[] {
    return [...this.byKey.values()];
  }

  isKnownToken(token: string): boolean {
    return this.all().some((r) => r.token === token);
  }
}
