import type { GcsClient } from './createGcsClient.js';

/** What a resumable session is opened with. */
export interface SessionFields {
  contentType: string;
  /** Total bytes, when known (GCS then refuses an upload of another size). */
  size?: number;
}

/**
 * Opens a resumable upload session with an authorised POST and returns its URI. The client's own
 * resumable uploads send no `Authorization` to a custom endpoint (it never passes
 * `useAuthWithCustomEndpoint` to them), so the store opens the session itself, the same request
 * the client would send, and hands the URI to `createWriteStream({ uri })`: the URI is the
 * capability for the PUTs that follow, as in GCS.
 */
export async function openUploadSession(client: GcsClient, bucket: string, name: string, fields: SessionFields): Promise<string> {
  const response = await client.authClient.request({
    method: 'POST',
    url: `${client.storage.apiEndpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`,
    params: { uploadType: 'resumable', name },
    data: { name, contentType: fields.contentType },
    headers: {
      'X-Upload-Content-Type': fields.contentType,
      ...(fields.size !== undefined ? { 'X-Upload-Content-Length': String(fields.size) } : {}),
    },
  });
  const location = response.headers['location'] as unknown;
  if (typeof location !== 'string' || !location) throw new Error('GCS opened no upload session (its answer has no Location header)');
  return location;
}

/**
 * Cancels a session (`DELETE` on its URI; GCS answers 499). Best effort: an unfinished session
 * holds no object and GCS drops it after a week, so a failed cancel changes nothing a user sees.
 * The URI is the capability: the credentials go with it only to the endpoint they are for, never
 * to another host a session answer named.
 */
export async function cancelUploadSession(client: GcsClient, uri: string): Promise<void> {
  const sameOrigin = sameOriginAs(uri, client.storage.apiEndpoint);
  const request = sameOrigin
    ? client.authClient.request({ method: 'DELETE', url: uri, validateStatus: () => true })
    : fetch(uri, { method: 'DELETE' });
  await Promise.resolve(request).catch(() => undefined);
}

function sameOriginAs(url: string, endpoint: string): boolean {
  try {
    return new URL(url).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}
