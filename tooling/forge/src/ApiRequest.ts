import type { IncomingMessage, ServerResponse } from 'node:http';

/** One REST request, already routed to a forge kind and host. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The absolute request URL (as the client addressed it), for `Link` headers and `url` fields. */
  url: URL;
  /** The web host whose API this is (`github.com`, a GHE host, `gitlab.com`, …). */
  host: string;
  /** Absolute URL of the API root (`http://127.0.0.1:<port>` for github.com, `…/<host>/api/v3`, `…/<host>/api/v4`). */
  apiBase: string;
  /** Path segments under the API root, still percent-encoded (GitLab ids contain `%2F`). */
  segments: string[];
}
