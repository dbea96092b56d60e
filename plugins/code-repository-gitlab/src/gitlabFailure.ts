import { StowageError } from '@stowage/plugin-api';

export interface GitlabFailureContext {
  /** The instance URL (`url`). */
  url: string;
  project: string;
  hasToken: boolean;
}

interface GitbeakerError {
  name?: string;
  message?: string;
  cause?: { description?: string; response?: { status?: number } };
}

const SET_TOKEN = 'set `token: ${GITLAB_TOKEN}` with a token that has the `read_api` scope';

function describeFailure(status: number, description: string, c: GitlabFailureContext): { message: string; hint: string } {
  // GitLab's messages start with the status already ("401 Unauthorized", "404 Project Not Found").
  const reason = description.startsWith(String(status)) ? description : `${status} ${description}`;
  if (status === 401) {
    return { message: `GitLab rejected the token (${reason}) at ${c.url}`, hint: 'the `token` is mistyped, expired or revoked: set a valid one' };
  }
  if (status === 404) {
    return c.hasToken
      ? { message: `project ${c.project} not found at ${c.url}, or the token cannot see it`, hint: `check \`project\`, and that the token can read ${c.project} (scope \`read_api\`, role Reporter or above)` }
      : { message: `project ${c.project} not found at ${c.url}`, hint: `check \`project\` (the full path); if it is private, ${SET_TOKEN}` };
  }
  if (status === 403) {
    return { message: `GitLab refused to answer about ${c.project} (${reason})`, hint: c.hasToken ? 'give the token the `read_api` scope' : SET_TOKEN };
  }
  return { message: `GitLab answered ${reason} about ${c.project} at ${c.url}`, hint: 'try again later; if it persists, check `url`' };
}

/** A failed gitbeaker request as a CODE_UNAVAILABLE error saying which setting to look at. */
export function gitlabFailure(error: unknown, context: GitlabFailureContext): StowageError {
  const e = (error ?? {}) as GitbeakerError;
  const status = e.cause?.response?.status;
  const reason = e.cause?.description || e.message || String(error);
  // gitbeaker wraps HTTP answers only; a network error is fetch's own TypeError (or a timeout).
  const { message, hint } =
    status !== undefined
      ? describeFailure(status, reason, context)
      : { message: `could not reach the GitLab API at ${context.url}/api/v4: ${causeText(error)}`, hint: 'check `url` (with its relative URL root, if any) and the network' };
  return new StowageError(message, { code: 'CODE_UNAVAILABLE', cause: error, hint });
}

function causeText(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  return [e.message, e.cause?.message].filter(Boolean).join(': ') || String(error);
}
