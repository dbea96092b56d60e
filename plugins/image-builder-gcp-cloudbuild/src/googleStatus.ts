// gRPC codes as the HTTP statuses Google's JSON APIs answer with (google.rpc.Code's mapping).
const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401 };

/**
 * The HTTP status a Google API answered a failed call with, whichever client made it (gaxios:
 * `response.status`; google-gax over REST: `code` is the HTTP status; over gRPC: a gRPC code);
 * undefined when no answer came (a network error).
 */
export function googleStatus(error: unknown): number | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  if (typeof e.response?.status === 'number') return e.response.status;
  if (typeof e.status === 'number') return e.status;
  if (typeof e.code !== 'number') return undefined;
  return e.code >= 100 ? e.code : GRPC_TO_HTTP[e.code];
}

/** The service answered that it refused the request (4xx), as opposed to no answer or a server error. */
export const refused = (error: unknown) => {
  const status = googleStatus(error);
  return status !== undefined && status >= 400 && status < 500;
};
