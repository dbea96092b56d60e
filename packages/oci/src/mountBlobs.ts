import type { RegistryApiClient, RequestOptions } from './RegistryApiClient.js';
import { registryFailure } from './registryFailure.js';

/**
 * Makes blobs `from` has present in `to` without sending them: each one `to` lacks is mounted
 * across repositories. `what` starts the error message (`could not copy …`) when the registry
 * declines a mount, which leaves `to` unable to take a manifest that references the blob.
 */
export async function mountBlobs(client: RegistryApiClient, digests: Iterable<string>, from: string, to: string, what: string, options: RequestOptions = {}): Promise<void> {
  for (const digest of new Set(digests)) {
    if (await client.headBlob(to, digest, options)) continue;
    if (!(await client.mountBlob(to, digest, from, options))) {
      throw registryFailure(`${what}: the registry declined to mount the blob ${digest}`, {
        hint: 'the login must be allowed to pull from the source repository and push to the target one',
      });
    }
  }
}
