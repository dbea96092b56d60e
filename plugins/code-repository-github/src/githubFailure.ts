import { StowageError } from '@stowage/plugin-api';

export interface GithubFailureContext {
  apiUrl: string;
  /** `owner/repository`. */
  repository: string;
  hasToken: boolean;
}

interface OctokitError {
  status?: number;
  message?: string;
  response?: { data?: { message?: string } };
}

const SET_TOKEN = 'set `token: ${GITHUB_TOKEN}` with a token that can read it (classic: `repo` scope; fine-grained: "Contents: read")';

function describeFailure(status: number | undefined, reason: string, c: GithubFailureContext): { message: string; hint: string } {
  if (status === 401) {
    return { message: `GitHub rejected the token (401 ${reason}) at ${c.apiUrl}`, hint: 'the `token` is mistyped, expired or revoked: set a valid one' };
  }
  if (status === 404) {
    return c.hasToken
      ? { message: `repository ${c.repository} not found at ${c.apiUrl}, or the token cannot see it`, hint: `check \`owner\`/\`repository\`, and give the token read access to ${c.repository}` }
      : { message: `repository ${c.repository} not found at ${c.apiUrl}`, hint: `check \`owner\`/\`repository\`; if it is private, ${SET_TOKEN}` };
  }
  if (status === 403) {
    return { message: `GitHub refused to answer about ${c.repository} (403 ${reason})`, hint: c.hasToken ? 'check the token’s permissions (and its SSO authorisation for the organisation)' : `anonymous requests are rate-limited: ${SET_TOKEN}` };
  }
  return { message: `GitHub answered ${status} about ${c.repository} at ${c.apiUrl}: ${reason}`, hint: 'try again later; if it persists, check `api_url`' };
}

/** A failed Octokit request as a CODE_UNAVAILABLE error saying which setting to look at. */
export function githubFailure(error: unknown, context: GithubFailureContext): StowageError {
  const e = (error ?? {}) as OctokitError;
  const reason = e.response?.data?.message ?? e.message ?? String(error);
  // No response at all: the request never reached GitHub (Octokit reports that as status 500).
  const { message, hint } = e.response
    ? describeFailure(e.status, reason, context)
    : { message: `could not reach the GitHub API at ${context.apiUrl}: ${reason}`, hint: 'check `api_url` (GitHub Enterprise Server: `https://<host>/api/v3`) and the network' };
  return new StowageError(message, { code: 'CODE_UNAVAILABLE', cause: error, hint });
}
