/**
 * The real google-auth-library 10.5 clients (JWT for a service-account key, GoogleAuth for
 * Application Default Credentials) exchanging signed assertions for access tokens at a loopback
 * OAuth2 token endpoint that verifies them with the test key, as Google's does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { OAuthTokenEndpoint } from './__fixtures__/OAuthTokenEndpoint.js';
import { GcpContainerRegistryConfigSchema } from './config.js';
import { GcpContainerRegistry } from './GcpContainerRegistry.js';
import { googleTokenFetcher } from './googleTokenFetcher.js';

const URI = 'europe-west1-docker.pkg.dev/stowage-e2e/images';
const SCOPE = { repository: 'stowage-e2e/images/app', actions: ['pull', 'push'] } as const;
const account = makeTestServiceAccount('registry@stowage-e2e.iam.gserviceaccount.com');
const stranger = makeTestServiceAccount('stranger@stowage-e2e.iam.gserviceaccount.com');
let endpoint: OAuthTokenEndpoint;
let home = '';
const savedEnv = { HOME: process.env['HOME'], GOOGLE_APPLICATION_CREDENTIALS: process.env['GOOGLE_APPLICATION_CREDENTIALS'] };

beforeAll(async () => {
  endpoint = await new OAuthTokenEndpoint([account]).start();
  // No developer ADC file ($HOME/.config/gcloud) may be found.
  home = await mkdtemp(join(tmpdir(), 'stowage-gcp-home-'));
  process.env['HOME'] = home;
});
afterEach(() => {
  endpoint.issued.splice(0);
  endpoint.refusals.splice(0);
  endpoint.expiresIn = 3600;
  delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
});
afterAll(async () => {
  await endpoint.stop();
  await rm(home, { recursive: true, force: true });
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function registryWith(config: Record<string, unknown>, secrets: string[] = []) {
  return GcpContainerRegistry.fromConfig(GcpContainerRegistryConfigSchema.parse({ uri: URI, ...config }), flavorContext(secrets), { transporterOptions: endpoint.transporterOptions() });
}

describe('access tokens from a service-account key (JWT client, token endpoint)', () => {
  it('logs in as oauth2accesstoken with the token Google issued for the key, registered as a secret', async () => {
    const secrets: string[] = [];
    const before = Date.now();
    const registry = registryWith({ service_account_key: account.keyJson }, secrets);
    const login = await registry.auth(SCOPE);
    expect(endpoint.issued).toHaveLength(1);
    expect(endpoint.issued[0]).toMatchObject({ principal: account.email, scope: 'https://www.googleapis.com/auth/cloud-platform' });
    expect(login).toEqual({ type: 'basic', username: 'oauth2accesstoken', password: endpoint.issued[0]!.token });
    expect(secrets).toEqual([endpoint.issued[0]!.token]);
    // The same token for every repository and call while it is fresh.
    expect(await registry.auth({ repository: 'stowage-e2e/images/other', actions: ['pull'] })).toEqual(login);
    expect(endpoint.issued).toHaveLength(1);

    const fetched = await googleTokenFetcher({ kind: 'service-account', key: JSON.parse(account.keyJson) }, { uri: URI, transporterOptions: endpoint.transporterOptions() })();
    expect(fetched.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3599_000);
    expect(fetched.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
  });

  it('fetches a new token when the old one is about to expire (library and cache agree)', async () => {
    endpoint.expiresIn = 2;
    const registry = registryWith({ service_account_key: account.keyJson });
    const first = await registry.auth(SCOPE);
    expect(await registry.auth(SCOPE)).toEqual(first);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const second = await registry.auth(SCOPE);
    expect(endpoint.issued.map((t) => t.token)).toEqual([(first as { password: string }).password, (second as { password: string }).password]);
  });

  it('says clearly when Google refuses the key, without showing it', async () => {
    const tampered = JSON.stringify({ ...JSON.parse(account.keyJson), private_key: JSON.parse(stranger.keyJson).private_key });
    const error = await failureOf(registryWith({ service_account_key: tampered }).auth(SCOPE));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`could not get a Google access token for ${URI} from the service account ${account.email}: HTTP 400: Invalid JWT Signature.`);
    expect(error.hint).toMatch(/^Google refused the service-account key: it may have been deleted or disabled/);
    expect(`${error.message} ${error.hint}`).not.toContain('PRIVATE KEY');
    expect(endpoint.refusals).toEqual(['invalid_grant: Invalid JWT Signature.']);

    const unknown = await failureOf(registryWith({ service_account_key: stranger.keyJson }).auth(SCOPE));
    expect(unknown.message).toContain(`from the service account ${stranger.email}: HTTP 400: Invalid grant: account not found`);
  });
});

describe('Application Default Credentials (GoogleAuth)', () => {
  it('uses the key file GOOGLE_APPLICATION_CREDENTIALS names', async () => {
    const file = join(home, 'adc-key.json');
    await writeFile(file, account.keyJson);
    process.env['GOOGLE_APPLICATION_CREDENTIALS'] = file;
    const login = await registryWith({}).auth(SCOPE);
    expect(endpoint.issued).toHaveLength(1);
    expect(endpoint.issued[0]!.principal).toBe(account.email);
    expect(login).toEqual({ type: 'basic', username: 'oauth2accesstoken', password: endpoint.issued[0]!.token });
  });

  it('says how to give credentials when there are none', async () => {
    const error = await failureOf(registryWith({}).auth(SCOPE));
    expect(error.message).toMatch(new RegExp(`^could not get a Google access token for ${URI} from Application Default Credentials: Could not load the default credentials`));
    expect(error.hint).toContain('`access_token` or `service_account_key`');
    expect(error.hint).toContain('gcloud auth application-default login');
    expect(endpoint.issued).toHaveLength(0);
  });
});

describe('a configured access_token', () => {
  it('is the password as given, with no request anywhere', async () => {
    const secrets: string[] = [];
    expect(await registryWith({ access_token: 'ya29.configured' }, secrets).auth(SCOPE)).toEqual({ type: 'basic', username: 'oauth2accesstoken', password: 'ya29.configured' });
    expect(secrets).toEqual(['ya29.configured']);
    expect(endpoint.issued).toHaveLength(0);
  });
});
