import { accessOf, githubToken } from './access.js';
import type { ApiRequest } from './ApiRequest.js';
import type { ArchiveOrigin } from './ArchiveOrigin.js';
import type { CommitInfo } from './BareRepository.js';
import type { ForgeRepository } from './ForgeRepository.js';
import { paginate } from './paginate.js';
import type { RepositoryStore } from './RepositoryStore.js';
import { sendJson } from './sendJson.js';

const DOCS = 'https://docs.github.com/rest';

function githubError(r: ApiRequest, status: number, message: string): void {
  sendJson(r.res, status, { message, documentation_url: DOCS, status: String(status) });
}

function repositoryJson(r: ApiRequest, repo: ForgeRepository, defaultBranch: string) {
  const [owner, name] = repo.path.split('/') as [string, string];
  return {
    id: repo.id,
    name,
    full_name: repo.path,
    owner: { login: owner, type: 'Organization' },
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    html_url: `https://${repo.host}/${repo.path}`,
    clone_url: repo.remoteUrl,
    url: `${r.apiBase}/repos/${repo.path}`,
    default_branch: defaultBranch,
  };
}

function commitJson(r: ApiRequest, repo: ForgeRepository, c: CommitInfo) {
  return {
    sha: c.sha,
    url: `${r.apiBase}/repos/${repo.path}/commits/${c.sha}`,
    html_url: `https://${repo.host}/${repo.path}/commit/${c.sha}`,
    commit: { message: c.message, tree: { sha: c.tree }, author: c.author, committer: c.committer },
    parents: c.parents.map((sha) => ({ sha, url: `${r.apiBase}/repos/${repo.path}/commits/${sha}` })),
    author: null,
    committer: null,
    files: [],
  };
}

async function getCommit(r: ApiRequest, repo: ForgeRepository, ref: string): Promise<void> {
  if ((await repo.bare.branches()).length === 0) return githubError(r, 409, 'Git Repository is empty.');
  const commit = await repo.bare.commit(ref);
  if (!commit) return githubError(r, 422, `No commit found for SHA: ${ref}`);
  sendJson(r.res, 200, commitJson(r, repo, commit));
}

function compareStatus(ahead: number, behind: number): string {
  if (ahead === 0 && behind === 0) return 'identical';
  if (behind === 0) return 'ahead';
  return ahead === 0 ? 'behind' : 'diverged';
}

async function compare(r: ApiRequest, repo: ForgeRepository, basehead: string): Promise<void> {
  const [base, head, extra] = basehead.split('...');
  const baseSha = base && (await repo.bare.resolveCommit(base));
  const headSha = head && (await repo.bare.resolveCommit(head));
  if (!baseSha || !headSha || extra !== undefined) return githubError(r, 404, 'Not Found');
  const mergeBase = await repo.bare.mergeBase(baseSha, headSha);
  if (!mergeBase) return githubError(r, 404, `No common ancestor between ${base} and ${head}.`);
  const [ahead, behind] = [await repo.bare.count(baseSha, headSha), await repo.bare.count(headSha, baseSha)];
  sendJson(r.res, 200, {
    url: `${r.apiBase}/repos/${repo.path}/compare/${basehead}`,
    status: compareStatus(ahead, behind),
    ahead_by: ahead,
    behind_by: behind,
    total_commits: ahead,
    base_commit: { sha: baseSha },
    merge_base_commit: { sha: mergeBase },
    commits: [],
    files: [],
  });
}

async function listBranches(r: ApiRequest, repo: ForgeRepository): Promise<void> {
  const branches = (await repo.bare.branches()).map((b) => ({
    name: b.name,
    commit: { sha: b.sha, url: `${r.apiBase}/repos/${repo.path}/commits/${b.sha}` },
    protected: false,
  }));
  const page = paginate(branches, r.url, { defaultPerPage: 30, maxPerPage: 100, totals: false });
  sendJson(r.res, 200, page.items, page.headers);
}

async function tarball(r: ApiRequest, repo: ForgeRepository, ref: string, archive: ArchiveOrigin): Promise<void> {
  const sha = await repo.bare.resolveCommit(ref || (await repo.bare.defaultBranch()));
  if (!sha) return githubError(r, 404, 'Not Found');
  r.res.writeHead(302, { location: archive.urlFor(repo, sha), 'content-length': 0 }).end();
}

/** `/repos/{owner}/{repo}/…` with GitHub's answers: 401 for a token it does not know, 404 for what the token cannot see. */
export async function handleGithubApi(r: ApiRequest, store: RepositoryStore, archive: ArchiveOrigin): Promise<void> {
  const [root, owner, name, action, ...rest] = r.segments.map(decodeURIComponent);
  const token = githubToken(r.req);
  if (token !== undefined && !store.isKnownToken(token)) return githubError(r, 401, 'Bad credentials');
  const repo = root === 'repos' && owner && name ? store.find(r.host, `${owner}/${name}`, 'github') : undefined;
  if (!repo || r.req.method !== 'GET' || accessOf(repo, token, 'read', () => true) !== 'ok') return githubError(r, 404, 'Not Found');
  const arg = rest.join('/');
  if (action === undefined) return sendJson(r.res, 200, repositoryJson(r, repo, await repo.bare.defaultBranch()));
  if (action === 'commits' && arg) return getCommit(r, repo, arg);
  if (action === 'compare' && arg) return compare(r, repo, arg);
  if (action === 'branches' && !arg) return listBranches(r, repo);
  if (action === 'tarball') return tarball(r, repo, arg, archive);
  githubError(r, 404, 'Not Found');
}
