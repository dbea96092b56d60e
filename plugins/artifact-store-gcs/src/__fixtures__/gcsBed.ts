import { makeTestServiceAccount, type TestServiceAccount } from '@stowage/gcp-auth-emulator';
import { GcsEmulator } from '@stowage/gcs-emulator';
import { GcsArtifactStoreConfigSchema, type GcsArtifactStoreConfig } from '../config.js';

/** The access token the bed trusts (what `gcloud auth print-access-token` would give). */
export const TEST_ACCESS_TOKEN = 'ya29.stowage-test-token';

/**
 * The GCS emulator on loopback with one bucket, trusting one test service account (its JWTs and
 * its signed URLs) and one access token: what every test of the store talks to.
 */
export class GcsBed {
  readonly account: TestServiceAccount = makeTestServiceAccount();
  emulator!: GcsEmulator;

  constructor(readonly bucket = 'stowage-test') {}

  async start(): Promise<this> {
    this.emulator = await GcsEmulator.start({ trust: { accessTokens: [TEST_ACCESS_TOKEN], serviceAccounts: [this.account] }, buckets: [this.bucket] });
    return this;
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }

  get endpoint(): string {
    return this.emulator.endpoint;
  }

  /** A config of the gcs flavor for this bed: the folder `stowage` of its bucket, the service-account key. */
  config(extra: Record<string, unknown> = {}): GcsArtifactStoreConfig {
    return GcsArtifactStoreConfigSchema.parse({ path: `gs://${this.bucket}/stowage`, endpoint: this.endpoint, service_account_key: this.account.keyJson, ...extra });
  }

  /** Operations and statuses the emulator answered since `from` (`upload.resumable.put 308`). */
  callsSince(from: number): string[] {
    return this.emulator.calls.slice(from).map((c) => `${c.operation} ${c.status ?? '-'}`);
  }
}
