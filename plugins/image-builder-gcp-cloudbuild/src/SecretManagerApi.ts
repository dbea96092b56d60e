import { crc32c } from '@aws-crypto/crc32c';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { GoogleAuth, JWT, OAuth2Client } from 'google-auth-library';
import { StowageError } from '@stowage/plugin-api';
import { googleClientOptions } from './googleClientOptions.js';

/** What a temporary secret is created with: labels marking it Stowage's, and when Secret Manager deletes it on its own. */
export interface NewSecret {
  labels: Readonly<Record<string, string>>;
  ttlSeconds: number;
}

/**
 * The Secret Manager calls a builder makes for its temporary secrets, over REST with the builder's
 * own auth client (`@google-cloud/secret-manager` 6.3, on google-gax 5 as the Cloud Build client).
 */
export class SecretManagerApi {
  private readonly client: SecretManagerServiceClient;

  constructor(endpoint: string | undefined, auth: OAuth2Client | JWT | GoogleAuth) {
    this.client = new SecretManagerServiceClient(googleClientOptions(endpoint, auth));
  }

  /** CreateSecret `projects/<project>/secrets/<id>`, replicated automatically. */
  async createSecret(project: string, id: string, secret: NewSecret): Promise<void> {
    await this.client.createSecret({ parent: `projects/${project}`, secretId: id, secret: { replication: { automatic: {} }, labels: { ...secret.labels }, ttl: { seconds: secret.ttlSeconds } } });
  }

  /** AddSecretVersion with the payload's CRC32C, which Secret Manager checks; returns the version's name. */
  async addVersion(secretName: string, value: string): Promise<string> {
    const data = Buffer.from(value, 'utf8');
    const [version] = await this.client.addSecretVersion({ parent: secretName, payload: { data, dataCrc32c: crc32c(data) } });
    if (!version.name) throw new StowageError(`Secret Manager named no version of ${secretName}`, { code: 'BUILD_FAILED' });
    return version.name;
  }

  async deleteSecret(name: string): Promise<void> {
    await this.client.deleteSecret({ name });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
