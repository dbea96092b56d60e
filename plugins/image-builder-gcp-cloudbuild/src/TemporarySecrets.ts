import { randomUUID } from 'node:crypto';
import { gcpErrorReason } from '@stowage/gcp';
import { googleStatus, refused } from './googleStatus.js';
import type { SecretManagerApi } from './SecretManagerApi.js';

/** A secret that could not be deleted, and why. */
export interface LeftSecret {
  /** `projects/<project>/secrets/<id>`. */
  name: string;
  project: string;
  id: string;
  reason: string;
}

/** How long Cloud Build keeps a build queued by default (`queueTtl`): the secret must outlive it and the build. */
const QUEUE_TTL_SECONDS = 3600;
/** Labels that mark a temporary secret as Stowage's (Secret Manager label rules: lowercase, digits, `_`, `-`). */
export const TEMPORARY_SECRET_LABELS: Readonly<Record<string, string>> = { 'managed-by': 'stowage', 'stowage-use': 'cloud-build-registry-login' };

export interface TemporarySecretsOptions {
  /** The project the secrets are created in (the build's). */
  project(): Promise<string>;
  /** Ids are `<prefix>-<uuid>`: unique to the build, so builds never share or overwrite one. */
  prefix: string;
  /** The build's timeout: a secret expires on its own after the queue time, that and a margin. */
  buildTimeoutSeconds: number;
}

/**
 * The Secret Manager secrets of one build, each read by Cloud Build (`availableSecrets`) so their
 * values never reach Cloud Build. Every one created is deleted by {@link deleteAll}, whatever the
 * build's outcome; a `ttl` makes Secret Manager delete one itself should Stowage be killed first.
 */
export class TemporarySecrets {
  private readonly created: Omit<LeftSecret, 'reason'>[] = [];

  constructor(
    private readonly api: () => Promise<SecretManagerApi>,
    private readonly options: TemporarySecretsOptions,
  ) {}

  /** Keeps `value` as the one version of a new secret and returns that version's name. */
  async put(value: string): Promise<string> {
    const [api, project] = await Promise.all([this.api(), this.options.project()]);
    const id = `${this.options.prefix}-${randomUUID()}`;
    const secret = { name: `projects/${project}/secrets/${id}`, project, id };
    // Named before the call: a CreateSecret Google applied but did not answer is deleted too.
    this.created.push(secret);
    const ttlSeconds = QUEUE_TTL_SECONDS + this.options.buildTimeoutSeconds + 600;
    await api.createSecret(project, id, { labels: TEMPORARY_SECRET_LABELS, ttlSeconds }).catch((error: unknown) => {
      // Refused (4xx: no permission): there is nothing of ours to delete. But "already exists"
      // (409) for a fresh UUID means a retried call whose first attempt Google applied: ours.
      if (refused(error) && googleStatus(error) !== 409) this.created.splice(this.created.indexOf(secret), 1);
      throw error;
    });
    return api.addVersion(secret.name, value);
  }

  /**
   * Deletes every secret {@link put} created (one already gone counts as deleted). Never aborted:
   * it runs after a Ctrl-C too. Returns the ones that are left.
   */
  async deleteAll(): Promise<LeftSecret[]> {
    const secrets = this.created.splice(0);
    if (secrets.length === 0) return [];
    const left = await Promise.all(secrets.map((secret) => this.delete(secret)));
    return left.filter((l): l is LeftSecret => l !== undefined);
  }

  private async delete(secret: Omit<LeftSecret, 'reason'>): Promise<LeftSecret | undefined> {
    try {
      await (await this.api()).deleteSecret(secret.name);
      return undefined;
    } catch (error) {
      return googleStatus(error) === 404 ? undefined : { ...secret, reason: gcpErrorReason(error) };
    }
  }
}
