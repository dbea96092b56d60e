import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactRegistryDouble } from './__fixtures__/ArtifactRegistryDouble.js';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { GcpContainerRegistryConfigSchema } from './config.js';
import { GcpContainerRegistry } from './GcpContainerRegistry.js';

const TOKEN = 'ya29.double-token';
let double: ArtifactRegistryDouble;

beforeAll(async () => {
  double = await new ArtifactRegistryDouble({ token: TOKEN, repositories: ['stowage-test/images', 'stowage-test/frozen'], readOnly: ['stowage-test/frozen'] }).start();
});
afterEach(() => void double.requests.splice(0));
afterAll(() => double.stop());

/** An Artifact Registry layout (project/location/repository) served by the double. */
function registry(config: Record<string, unknown> = {}) {
  const parsed = GcpContainerRegistryConfigSchema.parse({ registry_host: double.address, project: 'stowage-test', location: 'europe-west1', repository: 'images', access_token: TOKEN, ...config });
  return GcpContainerRegistry.fromConfig(parsed, flavorContext());
}

describe('prepareRepository: does the Artifact Registry repository take pushes? (nothing is created)', () => {
  it('passes for an existing repository, and cancels the upload it started', async () => {
    await registry().prepareRepository('stowage-test/images/trainer');
    expect(double.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'DELETE']);
    expect(double.requests[1]!.url).toMatch(/^\/v2\/stowage-test\/images\/trainer\/blobs\/uploads\/\?mount=sha256%3A/);
  });

  it('names the missing repository and the gcloud command that creates it (404 NAME_UNKNOWN)', async () => {
    const error = await failureOf(registry({ repository: 'missing' }).prepareRepository('stowage-test/missing/trainer'));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(
      `${double.address} has no repository for ${double.address}/stowage-test/missing/trainer (Artifact Registry repository missing in project stowage-test): http://${double.address} answered HTTP 404 (NAME_UNKNOWN: Repository "missing" not found)`,
    );
    expect(error.hint).toBe(
      'Artifact Registry does not create repositories on push, and neither does Stowage: create it with `gcloud artifacts repositories create missing --repository-format=docker --location=europe-west1 --project=stowage-test`',
    );
  });

  it('says which role is missing when the token may not write (403 DENIED)', async () => {
    const error = await failureOf(registry({ repository: 'frozen' }).prepareRepository('stowage-test/frozen/trainer'));
    expect(error.message).toMatch(new RegExp(`^the credentials may not push to ${double.address}/stowage-test/frozen/trainer: .*HTTP 403 \\(access denied\\) \\(DENIED: Permission "artifactregistry.repositories.uploadArtifacts" denied`));
    expect(error.hint).toBe(
      'grant the account Artifact Registry Writer (roles/artifactregistry.writer) on the repository frozen of project stowage-test; if the repository does not exist, create it with `gcloud artifacts repositories create frozen --repository-format=docker --location=europe-west1 --project=stowage-test`',
    );
  });

  it('says the token was refused (401), and how to get a new one', async () => {
    const error = await failureOf(registry({ access_token: 'ya29.expired' }).prepareRepository('stowage-test/images/trainer'));
    expect(error.message).toBe(`${double.address} refused the access token for ${double.address}/stowage-test/images/trainer (HTTP 401)`);
    expect(error.hint).toContain('`access_token` expires after about an hour (get a new one with `gcloud auth print-access-token`)');
    expect(`${error.message} ${error.hint}`).not.toContain('ya29.expired');
  });
});

describe('images of other registries', () => {
  it('are `unknown`, and asking their digest is a USAGE error; nothing is sent', async () => {
    const gcp = registry();
    expect(await gcp.imageExists('ghcr.io/acme/app:1')).toBe('unknown');
    expect(await gcp.imageExists('europe-west1-docker.pkg.dev/stowage-test/images/app:1')).toBe('unknown');
    expect((await failureOf(gcp.resolveDigest('ghcr.io/acme/app:1'))).code).toBe('USAGE');
    expect(double.requests).toEqual([]);
  });
});

describe('a token the registry refuses', () => {
  it('makes existence `unknown` and a digest a clear REGISTRY_FAILED', async () => {
    const gcp = GcpContainerRegistry.fromConfig(
      GcpContainerRegistryConfigSchema.parse({ registry_host: double.address, project: 'stowage-test', repository: 'images', access_token: 'ya29.wrong' }),
      flavorContext(),
    );
    const image = `${double.address}/stowage-test/images/app:1`;
    expect(await gcp.imageExists(image)).toBe('unknown');
    const error = await failureOf(gcp.resolveDigest(image));
    expect(error.message).toMatch(/rejected the credentials \(HTTP 401 after authenticating\)/);
    expect(error.hint).toMatch(/^Google did not accept the access token/);
  });
});
