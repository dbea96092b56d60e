/**
 * Real pushes with a Google access token: Debian's docker-registry on a free loopback port, with
 * an htpasswd user `oauth2accesstoken` whose password is the test access token, stands in for
 * Artifact Registry (`registry_host`, `project`, `location`, `repository`: a Google host cannot be
 * reached from here). The docker CLI logs in with what the plugin's `auth()` returned and pushes;
 * the image is copied to another repository through @stowage/oci with the same login; the plugin
 * finds both and their digests. The token comes from `access_token`, and from a service-account
 * key exchanged by google-auth-library at a loopback token endpoint.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HtpasswdRegistry } from '@stowage/aws-ecr-emulator';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { RegistryApiClient, registryBaseUrl } from '@stowage/oci';
import { failureOf, flavorContext } from './__fixtures__/flavorContext.js';
import { OAuthTokenEndpoint } from './__fixtures__/OAuthTokenEndpoint.js';
import { GcpContainerRegistryConfigSchema } from './config.js';
import { GcpContainerRegistry } from './GcpContainerRegistry.js';
import { gcpContainerRegistryFlavor } from './plugin.js';
import { harnessEnv } from '@stowage/testing';


const env = harnessEnv();
// The docker.io 20.10 client matches the daemon (a newer client earlier in PATH may not).
const DOCKER = env['STOWAGE_E2E_DOCKER'] || (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const succeeds = (file: string, args: string[]) => promisify(execFile)(file, args).then(() => true, () => false);

// STOWAGE_E2E_READY (pnpm test, after up.sh) or CI: the engine and docker-registry must be there, never skip.
const required = Boolean(env['STOWAGE_E2E_READY'] || env['CI']);
const ready = required || ((await succeeds(DOCKER, ['info', '--format', '{{.ServerVersion}}'])) && (await succeeds('sh', ['-c', 'command -v docker-registry && command -v htpasswd'])));
if (!ready) {
  console.warn(
    `\n${'!'.repeat(100)}\n!! SKIPPED: container-registry-gcp e2e — no Docker engine, docker-registry or htpasswd here.\n` +
      `!! Start them with: bash tooling/e2e/scripts/up.sh (with CI or STOWAGE_E2E_READY set these tests fail instead).\n${'!'.repeat(100)}\n`,
  );
}

function docker(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

describe.skipIf(!ready)('gcp: docker push as oauth2accesstoken, a copy through @stowage/oci, existence and digest through the plugin', () => {
  const run = randomBytes(4).toString('hex');
  const repository = `stowage-e2e/images/app-${run}`;
  const copied = `stowage-e2e/images/copy-${run}`;
  const localTag = `stowage-gcp-e2e-local:${run}`;
  // Short: bcrypt (the htpasswd hash docker-registry takes) reads 72 bytes of a password at most.
  const token = `ya29.e2e-${randomBytes(12).toString('hex')}`;
  let registry: HtpasswdRegistry;
  let gcp: GcpContainerRegistry;
  let work = '';
  let pushedTag = '';
  let pushedDigest = '';

  const configFor = (overrides: Record<string, unknown> = {}) =>
    GcpContainerRegistryConfigSchema.parse({ registry_host: registry.address, project: 'stowage-e2e', location: 'europe-west1', repository: 'images', access_token: token, ...overrides });

  beforeAll(async () => {
    registry = await HtpasswdRegistry.start({ username: 'oauth2accesstoken', password: token });
    gcp = (await gcpContainerRegistryFlavor.create(configFor(), flavorContext(), {})) as GcpContainerRegistry;
    work = await mkdtemp(join(tmpdir(), 'stowage-gcp-e2e-'));
    await writeFile(join(work, 'Dockerfile'), 'FROM scratch\nCOPY id /id\n');
    await writeFile(join(work, 'id'), `${run}\n`);
    await docker(['build', '-q', '-t', localTag, work]);

    // What core does before a push step: the check that the repository takes pushes.
    await gcp.prepareRepository(repository);
    const login = await gcp.auth({ repository, actions: ['pull', 'push'] });
    if (login.type !== 'basic') throw new Error(`expected a basic login, got ${login.type}`);
    // A temporary DOCKER_CONFIG keeps the login out of ~/.docker.
    const dockerEnv = { DOCKER_CONFIG: join(work, 'docker-config') };
    await docker(['login', registry.address, '-u', login.username, '--password-stdin'], { input: login.password, env: dockerEnv });
    pushedTag = `${gcp.uri}/app-${run}:v1`;
    await docker(['tag', localTag, pushedTag]);
    const output = await docker(['push', pushedTag], { env: dockerEnv });
    pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1] ?? '';
    if (!pushedDigest) throw new Error(`no digest in the output of docker push:\n${output}`);
  }, 180_000);

  afterAll(async () => {
    await docker(['rmi', localTag, ...(pushedTag ? [pushedTag] : [])]).catch(() => undefined);
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('names images under the uri made from registry_host, project and repository', () => {
    expect(gcp.uri).toBe(`${registry.address}/stowage-e2e/images`);
    expect(pushedTag.startsWith(`${registry.address}/${repository}:`)).toBe(true);
  });

  it('finds the pushed image by tag and digest, with the digest docker push printed', async () => {
    expect(await gcp.imageExists(`${gcp.uri}/app-${run}:v1`)).toBe('present');
    expect(await gcp.imageExists(`${gcp.uri}/app-${run}@${pushedDigest}`)).toBe('present');
    expect(await gcp.resolveDigest(`${gcp.uri}/app-${run}:v1`)).toBe(pushedDigest);
  });

  it('copies the image to another repository through @stowage/oci with the plugin’s login (blobs mounted, manifest put)', async () => {
    const api = new RegistryApiClient({ baseUrl: registryBaseUrl(registry.address), auth: (scope) => gcp.auth(scope), timeoutMs: 30_000 });
    await gcp.prepareRepository(copied);
    const manifest = (await api.getManifest(repository, 'v1'))!;
    expect(manifest.digest).toBe(pushedDigest);
    const parsed = JSON.parse(Buffer.from(manifest.bytes).toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    for (const blob of [parsed.config, ...parsed.layers]) expect(await api.mountBlob(copied, blob.digest, repository)).toBe(true);
    expect(await api.putManifest(copied, 'v1', manifest.bytes, manifest.mediaType)).toBe(pushedDigest);
    expect(await gcp.imageExists(`${registry.address}/${copied}:v1`)).toBe('present');
    expect(await gcp.resolveDigest(`${registry.address}/${copied}:v1`)).toBe(pushedDigest);
  });

  it('says absent for a tag never pushed', async () => {
    expect(await gcp.imageExists(`${gcp.uri}/app-${run}:never`)).toBe('absent');
    expect(await gcp.resolveDigest(`${gcp.uri}/app-${run}:never`)).toBeUndefined();
  });

  it('refuses a wrong token with a clear message (the login is really checked)', async () => {
    const stranger = (await gcpContainerRegistryFlavor.create(configFor({ access_token: 'ya29.not-the-token' }), flavorContext(), {})) as GcpContainerRegistry;
    const error = await failureOf(stranger.prepareRepository(repository));
    expect(error.code).toBe('REGISTRY_FAILED');
    expect(error.message).toBe(`${registry.address} refused the access token for ${registry.address}/${repository} (HTTP 401)`);
    expect(error.hint).toMatch(/^Google did not accept the access token: `access_token` expires after about an hour/);
    expect(await stranger.imageExists(`${gcp.uri}/app-${run}:v1`)).toBe('unknown');
    const digestError = await failureOf(stranger.resolveDigest(`${gcp.uri}/app-${run}:v1`));
    expect(digestError.message).toContain('rejected the credentials (HTTP 401 after authenticating)');
    expect(`${error.message} ${error.hint} ${digestError.message}`).not.toContain('ya29.not-the-token');
  });

  it('pushes with the token google-auth-library gets for a service-account key', async () => {
    const account = makeTestServiceAccount('pusher@stowage-e2e.iam.gserviceaccount.com');
    const endpoint = await new OAuthTokenEndpoint([account], { token }).start();
    try {
      const config = configFor({ access_token: undefined, service_account_key: account.keyJson });
      const keyed = GcpContainerRegistry.fromConfig(config, flavorContext(), { transporterOptions: endpoint.transporterOptions() });
      await keyed.prepareRepository(`stowage-e2e/images/keyed-${run}`);
      expect(await keyed.resolveDigest(`${gcp.uri}/app-${run}:v1`)).toBe(pushedDigest);
      expect(endpoint.issued.map((t) => t.principal)).toEqual([account.email]);
    } finally {
      await endpoint.stop();
    }
  });
});
