/**
 * Where the emulated Cloud Build reads storage sources and writes build logs: a GCS JSON API
 * endpoint (the GCS emulator in tests) and the bearer token of the build's service account.
 */
export interface GcsEndpoint {
  /** `http://127.0.0.1:<port>`: the JSON API is under `/storage/v1`, uploads under `/upload/storage/v1`. */
  endpoint: string;
  token: string;
}

const object = (bucket: string, name: string) => `/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}`;

/** `HTTP 404 No such object: …`: the status and the message of Google's JSON error body. */
async function failure(res: Response): Promise<Error> {
  const text = await res.text();
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // Not Google's JSON error: keep the text.
  }
  return new Error(`HTTP ${res.status} ${message}`.trim());
}

/** The GCS JSON API calls a build makes, with the build's service-account token. */
export class GcsAccess {
  constructor(private readonly gcs: GcsEndpoint) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.gcs.token}`, ...extra };
  }

  /** Metadata then media of `gs://bucket/name` (at `generation` when given): its bytes and the generation read. */
  async read(bucket: string, name: string, generation?: string): Promise<{ body: Buffer; generation?: string }> {
    const at = generation ? `?generation=${encodeURIComponent(generation)}` : '';
    const meta = await fetch(`${this.gcs.endpoint}${object(bucket, name)}${at}`, { headers: this.headers() });
    if (!meta.ok) throw await failure(meta);
    const read = ((await meta.json()) as { generation?: string }).generation ?? generation;
    const media = await fetch(`${this.gcs.endpoint}${object(bucket, name)}?alt=media${read ? `&generation=${encodeURIComponent(read)}` : ''}`, { headers: this.headers() });
    if (!media.ok) throw await failure(media);
    return { body: Buffer.from(await media.arrayBuffer()), ...(read ? { generation: read } : {}) };
  }

  /** Writes (replaces) `gs://bucket/name` with a multipart upload, as a new generation. */
  async write(bucket: string, name: string, text: string, contentType = 'text/plain; charset=utf-8'): Promise<void> {
    const boundary = `stowage-${crypto.randomUUID()}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify({ name, contentType })}\r\n`),
      Buffer.from(`--${boundary}\r\ncontent-type: ${contentType}\r\n\r\n`),
      Buffer.from(text),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const url = `${this.gcs.endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=multipart&name=${encodeURIComponent(name)}`;
    const res = await fetch(url, { method: 'POST', headers: this.headers({ 'content-type': `multipart/related; boundary=${boundary}` }), body });
    if (!res.ok) throw await failure(res);
  }
}
