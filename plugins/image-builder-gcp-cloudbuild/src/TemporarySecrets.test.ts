import { describe, expect, it } from 'vitest';
import type { SecretManagerApi } from './SecretManagerApi.js';
import { TemporarySecrets } from './TemporarySecrets.js';

/** Google's answers as google-gax throws them over REST (`code` is the HTTP status). */
const googleError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** A Secret Manager whose createSecret fails with `createError`; it records what it was asked to delete. */
function secretManager(createError: Error) {
  const deleted: string[] = [];
  const api = {
    createSecret: () => Promise.reject(createError),
    addVersion: () => Promise.reject(new Error('not reached')),
    deleteSecret: (name: string) => {
      deleted.push(name);
      return Promise.resolve();
    },
  } as unknown as SecretManagerApi;
  return { api: () => Promise.resolve(api), deleted };
}

const options = { project: () => Promise.resolve('acme-ml'), prefix: 'stowage-cloudbuild', buildTimeoutSeconds: 600 };

describe('TemporarySecrets after a refused createSecret', () => {
  it('deletes nothing when Secret Manager refused it (403: nothing of ours exists)', async () => {
    const bed = secretManager(googleError(403, 'Permission denied'));
    const secrets = new TemporarySecrets(bed.api, options);
    await expect(secrets.put('pw')).rejects.toThrow('Permission denied');
    expect(await secrets.deleteAll()).toEqual([]);
    expect(bed.deleted).toEqual([]);
  });

  it('still deletes it on 409 ALREADY_EXISTS: under a fresh UUID, that is our own retried create that Google applied', async () => {
    const bed = secretManager(googleError(409, 'Secret already exists'));
    const secrets = new TemporarySecrets(bed.api, options);
    await expect(secrets.put('pw')).rejects.toThrow('already exists');
    expect(await secrets.deleteAll()).toEqual([]);
    expect(bed.deleted).toEqual([expect.stringMatching(/^projects\/acme-ml\/secrets\/stowage-cloudbuild-[0-9a-f-]{36}$/)]);
  });
});
