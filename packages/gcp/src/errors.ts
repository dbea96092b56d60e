/**
 * One wording for the errors of Google's clients: gaxios errors (`@google-cloud/storage`,
 * `google-auth-library`: an HTTP status and Google's JSON error body), google-gax errors
 * (`@google-cloud/cloudbuild`: a numeric gRPC code, also over REST) and network errors.
 */
const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

const CREDENTIALS_HINT =
  'check the credentials: `access_token` (tokens expire after about an hour), `service_account_key`, or Application Default Credentials (`gcloud auth application-default login`), and that they may use this project';

interface GoogleErrorShape {
  code?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; data?: unknown };
}

function shape(error: unknown): GoogleErrorShape {
  return typeof error === 'object' && error !== null ? (error as GoogleErrorShape) : {};
}

/** Google's JSON error body: `{ error: { code, message, status } }` (or the OAuth form `{ error, error_description }`). */
function bodyMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim().slice(0, 300) || undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as { error?: unknown; error_description?: unknown };
  if (typeof body.error === 'object' && body.error !== null) {
    const message = (body.error as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  }
  if (typeof body.error_description === 'string') return body.error_description;
  return typeof body.error === 'string' ? body.error : undefined;
}

/** google-gax's REST transport puts Google's JSON error body in the error's message. */
function jsonMessage(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return bodyMessage(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The HTTP status or gRPC code of a Google client error, as a label and whether credentials are the likely cause. */
function classify(error: GoogleErrorShape): { label: string; credentials: boolean } | undefined {
  const httpStatus = typeof error.response?.status === 'number' ? error.response.status : typeof error.status === 'number' ? error.status : undefined;
  if (httpStatus !== undefined) return { label: `HTTP ${httpStatus}`, credentials: httpStatus === 401 || httpStatus === 403 };
  if (typeof error.code === 'number' && error.code > 0 && error.code < GRPC_CODES.length) {
    const name = GRPC_CODES[error.code]!;
    return { label: name, credentials: name === 'UNAUTHENTICATED' || name === 'PERMISSION_DENIED' };
  }
  if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) return { label: error.code, credentials: false };
  return undefined;
}

/**
 * `HTTP 404: No such object: bucket/key`, `PERMISSION_DENIED: … — check the credentials: …`,
 * `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`. google-gax puts the code in front of its
 * messages (`7 PERMISSION_DENIED: …`); that prefix is dropped, the label says it.
 */
export function gcpErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = shape(error);
  const kind = classify(fields);
  const message = (bodyMessage(fields.response?.data) ?? jsonMessage(error.message) ?? error.message).replace(/^\d+ [A-Z_]+: /, '').trim();
  const reason = [kind?.label, message && message !== kind?.label ? message : ''].filter(Boolean).join(': ') || String(error);
  return kind?.credentials ? `${reason} — ${CREDENTIALS_HINT}` : reason;
}
