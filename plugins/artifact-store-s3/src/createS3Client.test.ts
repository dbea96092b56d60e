import { afterEach, describe, expect, it, vi } from 'vitest';
import { S3ArtifactStoreConfigSchema } from './config.js';
import { createS3Client } from './createS3Client.js';

const clientFor = (config: Record<string, unknown>, secrets: string[] = []) =>
  createS3Client(S3ArtifactStoreConfigSchema.parse({ path: 's3://acme/stowage', ...config }), { add: (s) => secrets.push(s) });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createS3Client (the SDK client as configured, resolved by the SDK itself)', () => {
  it('passes the checksum modes, the endpoint and path-style addressing', async () => {
    const client = clientFor({
      endpoint: 'http://127.0.0.1:9000',
      force_path_style: true,
      request_checksum_calculation: 'when_required',
      response_checksum_validation: 'when_supported',
    });
    await expect(client.config.requestChecksumCalculation()).resolves.toBe('WHEN_REQUIRED');
    await expect(client.config.responseChecksumValidation()).resolves.toBe('WHEN_SUPPORTED');
    expect(client.config.forcePathStyle).toBe(true);
    expect(client.config.followRegionRedirects).toBe(true);
    await expect(client.config.endpoint!()).resolves.toMatchObject({ hostname: '127.0.0.1', port: 9000, protocol: 'http:' });
  });

  it("leaves the checksum modes to the SDK's own chain when not configured", async () => {
    vi.stubEnv('AWS_REQUEST_CHECKSUM_CALCULATION', 'when_required');
    const client = clientFor({});
    await expect(client.config.requestChecksumCalculation()).resolves.toBe('WHEN_REQUIRED');
    await expect(client.config.responseChecksumValidation()).resolves.toBe('WHEN_SUPPORTED');
  });

  it('uses static credentials from the config (with a session token) and registers nothing more', async () => {
    const secrets: string[] = [];
    const client = clientFor({ access_key_id: 'AKIAEXAMPLE', secret_access_key: 'config-secret', session_token: 'config-token' }, secrets);
    await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'config-secret', sessionToken: 'config-token' });
    // Config secrets are redacted by the host already (they are `secret()` fields).
    expect(secrets).toEqual([]);
  });

  it('resolves the region: configured, else AWS_REGION, else us-east-1', async () => {
    await expect(clientFor({ region: 'eu-central-1' }).config.region()).resolves.toBe('eu-central-1');
    await expect(clientFor({}).config.region()).resolves.toBe('us-east-1');
    vi.stubEnv('AWS_REGION', 'sa-east-1');
    await expect(clientFor({}).config.region()).resolves.toBe('sa-east-1');
  });
});
