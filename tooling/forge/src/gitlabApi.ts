import { accessOf, gitlabToken } from './access.js';
import type { ApiRequest } from './ApiRequest.js';
import type { CommitInfo } from './BareRepository.js';
import { repositoryName, repositoryNamespace, type ForgeRepository } from './ForgeRepository.js';
import { paginate } from './paginate.js';
import type { RepositoryStore } from './RepositoryStore.js';
import { sendJson } from './sendJson.js';
import { streamArchive } from './streamArchive.js';

function gitlabError(r: ApiRequest, status: number, message: string): void {
  sendJson(r.res, status, { message });
}

function projectJson(repo: ForgeRepository, defaultBranch: string) {
  return {
    id: repo.id,
    name: repositoryName(repo),
    path: repositoryName(repo),
    path_with_namespace: repo.path,
    namespace: { full_path: repositoryNamespace(repo) },
    default_branch: defaultBranch,
    visibility: repo.private ? 'private' : 'public',
    web_url: `https://${repo.host}/${repo.path}`,
    http_url_to_repo: repo.remoteUrl,
    ssh_url_to_repo: `git@${repo.host}:${repo.path}.git`,
  };
}

function commitJson(repo: ForgeRepository, c: CommitInfo) {
  return {
    id: c.sha,
    short_id: c.sha.slice(0, 8),
    title: c.message.split('\n')[0],
    message: c.message,
    parent_ids: c.parents,
    author_name: c.author.name,
    author_email: c.author.email,
    authored_date: c.author.date,
    committer_name: c.committer.name,
    committer_email: c.committer.email,
    committed_date: c.committer.date,
    created_at: c.committer.date,
    web_url: `https://${repo.host}/${repo.path}/-/commit/${c.sha}`,
  };
}

async function getCommit(r: ApiRequest, repo: ForgeRepository, ref: string): Promise<void> {
  const commit = await repo.bare.commit(ref);
  if (!commit) return gitlabError(r, 404, '404 Commit Not Found');
  sendJson(r.res, 200, commitJson(repo, commit));
}

/** `GET …/repository/commits/:sha/refs?type=branch|tag|all`: the refs whose history contains the commit. */
async function commitRefs(r: ApiRequest, repo: ForgeRepository, ref: string): Promise<void> {
  const sha = await repo.bare.resolveCommit(ref);
  if (!sha) return gitlabError(r, 404, '404 Commit Not Found');
  const type = r.url.searchParams.get('type') ?? 'all';
  if (!['branch', 'tag', 'all'].includes(type)) return gitlabError(r, 400, 'type does not have a valid value');
  // Only branches exist on this forge (tags are not emulated), so `tag` is always empty.
  const branches = type === 'tag' ? [] : (await repo.bare.branchesContaining(sha)).map((b) => ({ type: 'branch', name: b.name }));
  const page = paginate(branches, r.url, { defaultPerPage: 20, maxPerPage: 100, totals: true });
  sendJson(r.res, 200, page.items, page.headers);
}

async function archive(r: ApiRequest, repo: ForgeRepository): Promise<void> {
  const ref = r.url.searchParams.get('sha') || (await repo.bare.defaultBranch());
  const sha = await repo.bare.resolveCommit(ref);
  if (!sha) return gitlabError(r, 404, '404 File Not Found');
  const folder = `${repositoryName(repo)}-${ref.replaceAll('/', '-')}-${sha}`;
  streamArchive(r.res, repo.bare, sha, `${folder}/`, `${folder}.tar.gz`);
}

function findProject(r: ApiRequest, store: RepositoryStore, id: string): ForgeRepository | undefined {
  return /^\d+$/.test(id) ? store.findById(r.host, Number(id), 'gitlab') : store.find(r.host, id, 'gitlab');
}

/** `/projects/:id/…` (id numeric or the URL-encoded path) with GitLab's answers: 401 for an unknown token, 404 for what it cannot see. */
export async function handleGitlabApi(r: ApiRequest, store: RepositoryStore): Promise<void> {
  const [root, id, area, action, ref, sub, ...extra] = r.segments.map(decodeURIComponent);
  const token = gitlabToken(r.req);
  if (token !== undefined && !store.isKnownToken(token)) return gitlabError(r, 401, '401 Unauthorized');
  const repo = root === 'projects' && id ? findProject(r, store, id) : undefined;
  if (!repo || r.req.method !== 'GET' || accessOf(repo, token, 'read', () => true) !== 'ok') return gitlabError(r, 404, '404 Project Not Found');
  if (area === undefined) return sendJson(r.res, 200, projectJson(repo, await repo.bare.defaultBranch()));
  const repository = area === 'repository' && extra.length === 0;
  if (repository && action === 'commits' && ref && sub === undefined) return getCommit(r, repo, ref);
  if (repository && action === 'commits' && ref && sub === 'refs') return commitRefs(r, repo, ref);
  if (repository && (action === 'archive' || action === 'archive.tar.gz') && ref === undefined) return archive(r, repo);
  gitlabError(r, 404, '404 Not Found');
}
