/**
 * An error a Google REST API answers with: an HTTP status and a message, sent as
 * `{ error: { code, message, status } }` (the server builds the body with `googleErrorBody`).
 */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }
}

/** 400 INVALID_ARGUMENT, with the `generic::invalid_argument: ` prefix Cloud Build puts on build validation errors. */
export const invalidBuild = (why: string) => new GoogleApiError(400, `generic::invalid_argument: ${why}`);
