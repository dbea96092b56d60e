import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcsBed } from './__fixtures__/gcsBed.js';
import { GcsArtifactStore } from './GcsArtifactStore.js';
import { gcsArtifactStoreFlavor } from './plugin.js';

let bed: GcsBed;
let home: string;

beforeAll(async () => {
  bed = await new GcsBed().start();
});
afterAll(() => bed?.stop());
beforeEach(() => {
  // An empty home: no gcloud ADC file of the developer's is found.
  home = mkdtempSync(join(tmpdir(), 'stowage-gcs-home-'));
  vi.stubEnv('HOME', home);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

/** A config without credentials: Application Default Credentials. */
const adcConfig = () => bed.config({ service_account_key: undefined });

function writeAdcFile(content: object): string {
  const path = join(home, 'adc.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('Application Default Credentials (no key or token in the config)', () => {
  it('with GOOGLE_APPLICATION_CREDENTIALS naming a service-account key: self-signed JWTs, and URLs signed with that key', async () => {
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', writeAdcFile(JSON.parse(bed.account.keyJson) as object));
    const store = await gcsArtifactStoreFlavor.create(adcConfig(), flavorContext(), {});
    const from = bed.emulator.calls.length;
    await store.put('adc/a.txt', 'via ADC');
    await expect(text(await store.get('adc/a.txt'))).resolves.toBe('via ADC');
    expect(new Set(bed.emulator.calls.slice(from).map((c) => c.principal))).toEqual(new Set([bed.account.email]));
    const response = await fetch(await store.presign!('adc/a.txt', 60));
    expect([response.status, await response.text()]).toEqual([200, 'via ADC']);
  });

  it('with none anywhere: says how to give some, and asks no metadata server (the loopback guard would say so)', async () => {
    const store = GcsArtifactStore.open(adcConfig(), { add: () => undefined }, { maxRetries: 0 });
    const from = bed.emulator.calls.length;
    const failure = await failureOf(store.exists('a.tar'));
    expect(failure.code).toBe('ARTIFACT_STORE_FAILED');
    expect(failure.message).toMatch(/^could not check whether a\.tar exists in gs:\/\/stowage-test\/stowage: Could not load the default credentials/);
    expect(failure.hint).toBe(
      'give the store credentials: `service_account_key` or `access_token` (as `${VAR}`), or Application Default Credentials (`gcloud auth application-default login`, GOOGLE_APPLICATION_CREDENTIALS)',
    );
    expect(failure.message).not.toContain('loopback guard');
    // Nothing went out unauthenticated: the store stopped at the missing credentials.
    expect(bed.emulator.calls.length).toBe(from);
    await expect(failureOf(store.presign('a.tar', 60))).resolves.toMatchObject({ hint: failure.hint });
  });

  it('with user credentials (gcloud auth application-default login): a presign says it needs a key, before any request', async () => {
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', writeAdcFile({ type: 'authorized_user', client_id: 'id.apps.googleusercontent.com', client_secret: 'not-a-secret', refresh_token: 'not-a-token' }));
    const store = await gcsArtifactStoreFlavor.create(adcConfig(), flavorContext(), {});
    const failure = await failureOf(store.presign!('a.tar', 60));
    expect(failure.code).toBe('CAPABILITY_MISSING');
    expect(failure.hint).toContain('point GOOGLE_APPLICATION_CREDENTIALS at a service-account key file');
  });

  it('ADC is looked up on first use, not when the store is created', async () => {
    const store = await gcsArtifactStoreFlavor.create(adcConfig(), flavorContext(), {});
    vi.stubEnv('GOOGLE_APPLICATION_CREDENTIALS', writeAdcFile(JSON.parse(bed.account.keyJson) as object));
    await expect(store.exists('adc/none.txt')).resolves.toBe(false);
  });
});
