import { describe, expect, it } from 'vitest';
import type { GcsClient } from './createGcsClient.js';
import { cancelUploadSession } from './uploadSession.js';

/** A client whose authorised requests are recorded (the store's credentials would go with them). */
function client(apiEndpoint: string) {
  const authorised: string[] = [];
  const gcs = {
    storage: { apiEndpoint },
    authClient: { request: (o: { method: string; url: string }) => (authorised.push(`${o.method} ${o.url}`), Promise.resolve({ status: 499 })) },
  } as unknown as GcsClient;
  return { gcs, authorised };
}

describe('cancelUploadSession', () => {
  it('cancels a session on the store endpoint with its credentials', async () => {
    const { gcs, authorised } = client('http://127.0.0.1:9');
    await cancelUploadSession(gcs, 'http://127.0.0.1:9/upload/storage/v1/b/b/o?upload_id=1');
    expect(authorised).toEqual(['DELETE http://127.0.0.1:9/upload/storage/v1/b/b/o?upload_id=1']);
  });

  it('never sends the credentials to another host a session answer named (the URI alone is the capability)', async () => {
    const { gcs, authorised } = client('http://127.0.0.1:9');
    // Nothing listens there: the plain DELETE fails quietly, as a best-effort cancel does.
    await expect(cancelUploadSession(gcs, 'http://127.0.0.2:9/upload?upload_id=1')).resolves.toBeUndefined();
    expect(authorised).toEqual([]);
  });
});
