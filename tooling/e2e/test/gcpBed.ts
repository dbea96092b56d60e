/**
 * The test bed of the GCP stack e2e test (issue 11), all on 127.0.0.1 and started per file:
 * - `@stowage/gcs-emulator`: the GCS JSON API (bearer tokens and service-account JWTs verified,
 *   real CRC32C/MD5) as the stack's `gcs` artifact store, where the plan's `stage-context` step
 *   uploads each build context as a tar.gz, code archives go, and builds write their logs;
 * - a real Debian `docker-registry` with the htpasswd user `oauth2accesstoken` whose password is
 *   the test access token, standing in for Artifact Registry (the `gcp` registry's `registry_host`);
 * - `@stowage/gcp-cloudbuild-emulator`: Cloud Build REST v1. A build fetches its source from the
 *   GCS emulator and runs its steps ON THE HOST: the `gcr.io/cloud-builders/docker` builder image
 *   cannot be pulled here, so its args run as the harness's `docker` CLI against the local engine
 *   and push to the loopback registry (Cloud Build's implicit login to the project's registry).
 *
 * - for the `gcp-oci` stack: the harness's basic-auth registry as an `oci` registry, whose login
 *   the emulated Cloud Build reads from the emulator's Secret Manager (the same port).
 *
 * The CLI runs as a subprocess with {@link GcpBed.cliEnv}: the loopback guard preloaded, no Google
 * setup of this machine (no ADC, no metadata server), the test credentials in `${VAR}`s. The
 * builder authenticates with a service-account key (self-signed JWTs the emulator verifies), the
 * store and registry with an access token.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HtpasswdRegistry } from '@stowage/aws-ecr-emulator';
import { makeTestServiceAccount, type TestServiceAccount } from '@stowage/gcp-auth-emulator';
import { CloudBuildEmulator } from '@stowage/gcp-cloudbuild-emulator';
import { GcsEmulator } from '@stowage/gcs-emulator';
import { e2eDockerCli } from '../src/harness.js';
import type { Yaml } from './projects.js';
import { REPO_ROOT } from './runStowage.js';

const PRELOAD = fileURLToPath(new URL('./loopbackGuard.preload.mjs', import.meta.url));
export const PROJECT = 'stowage-e2e';
export const BUCKET = 'stowage-e2e-store';
export const STORE_FOLDER = 'stowage';
export const LOCATION = 'europe-west1';
export const REPOSITORY = 'images';
/** The repository of the `gcp-oci` stack on the harness's basic-auth registry. */
export const OCI_REPOSITORY = 'stowage-e2e-gcp';
/** The Secret Manager secrets holding the basic-auth registry's login (`registry_username_secret`, `registry_password_secret`). */
export const REGISTRY_SECRETS = { username: 'stowage-e2e-registry-user', password: 'stowage-e2e-registry-password' };

export class GcpBed {
  /** The user's access token (store and registry); at most 72 bytes, all the registry's bcrypt reads. */
  readonly token = `ya29.e2e-${randomBytes(12).toString('hex')}`;
  /** The token of the builds' own service account (what Cloud Build uses to read the source and write logs). */
  readonly buildToken = `ya29.cloudbuild-${randomBytes(12).toString('hex')}`;
  account!: TestServiceAccount;
  gcs!: GcsEmulator;
  registry!: HtpasswdRegistry;
  cloudbuild!: CloudBuildEmulator;
  scratch = '';

  static async start(): Promise<GcpBed> {
    const bed = new GcpBed();
    try {
      bed.scratch = await mkdtemp(join(tmpdir(), 'stowage-e2e-gcp-'));
      bed.account = makeTestServiceAccount(`builder@${PROJECT}.iam.gserviceaccount.com`, PROJECT);
      bed.gcs = await GcsEmulator.start({ trust: { accessTokens: [bed.token, bed.buildToken], serviceAccounts: [bed.account] }, buckets: [BUCKET] });
      bed.registry = await HtpasswdRegistry.start({ username: 'oauth2accesstoken', password: bed.token });
      // The builds' `docker` is the harness's CLI (a shim first on their PATH).
      const bin = join(bed.scratch, 'build-bin');
      await mkdir(bin, { recursive: true });
      await writeFile(join(bin, 'docker'), `#!/bin/sh\nexec ${e2eDockerCli()} "$@"\n`);
      await chmod(join(bin, 'docker'), 0o755);
      bed.cloudbuild = await CloudBuildEmulator.start({
        trust: { serviceAccounts: [bed.account] },
        gcs: { endpoint: bed.gcs.endpoint, token: bed.buildToken },
        projects: [PROJECT],
        registryLogins: [{ registry: bed.registry.address, username: 'oauth2accesstoken', password: bed.token }],
        hostEnv: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, DOCKER_BUILDKIT: '0' },
      });
      return bed;
    } catch (error) {
      await bed.stop();
      throw error;
    }
  }

  /** Stops only what {@link start} started (the emulators, the registry by its own pid) and removes the scratch folder. */
  async stop(): Promise<void> {
    await this.cloudbuild?.stop().catch(() => undefined);
    await this.registry?.stop().catch(() => undefined);
    await this.gcs?.stop().catch(() => undefined);
    if (this.scratch && !process.env['STOWAGE_E2E_KEEP']) await rm(this.scratch, { recursive: true, force: true });
  }

  /** The CLI's environment: the test credentials as `${VAR}`s, the preloaded loopback guard, no Google setup of this machine. */
  cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {};
    for (const name of Object.keys(process.env)) {
      if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GCE_METADATA_\w+|CLOUDSDK_\w+)$/.test(name)) env[name] = undefined;
    }
    return {
      ...env,
      E2E_GCP_TOKEN: this.token,
      E2E_GCP_SA_KEY: this.account.keyJson,
      METADATA_SERVER_DETECTION: 'none',
      NODE_OPTIONS: `--import=${PRELOAD}`,
      ...extra,
    };
  }

  /** The `gcp` stack: Cloud Build (service-account key) + the `gcp` registry on loopback + GCS (access token). */
  stack(): Yaml {
    return {
      image_builder: {
        flavor: 'gcp-cloudbuild',
        project: PROJECT,
        service_account_key: '${E2E_GCP_SA_KEY}',
        endpoint: this.cloudbuild.endpoint,
        storage_endpoint: this.gcs.endpoint,
        logs_bucket: `gs://${BUCKET}/cloud-build-logs`,
        // RUN steps reach the loopback Python index; there is no `cloudbuild` network here.
        network: 'host',
        poll_interval_seconds: 0.5,
      },
      container_registry: {
        flavor: 'gcp',
        registry_host: this.registry.address,
        project: PROJECT,
        location: LOCATION,
        repository: REPOSITORY,
        access_token: '${E2E_GCP_TOKEN}',
      },
      artifact_store: { flavor: 'gcs', path: `gs://${BUCKET}/${STORE_FOLDER}`, endpoint: this.gcs.endpoint, access_token: '${E2E_GCP_TOKEN}' },
    };
  }

  /**
   * The `gcp-oci` stack: the same builder and store, the harness's basic-auth registry as an `oci`
   * registry (its login in `${VAR}`s for Stowage's own registry calls), and the builder reading the
   * login for `docker login` from Secret Manager ({@link addRegistrySecrets}).
   */
  ociStack(authRegistry: string): Yaml {
    const { image_builder, artifact_store } = this.stack();
    return {
      image_builder: { ...image_builder, registry_username_secret: REGISTRY_SECRETS.username, registry_password_secret: REGISTRY_SECRETS.password },
      container_registry: { flavor: 'oci', uri: authRegistry, default_repository: OCI_REPOSITORY, username: '${E2E_REGISTRY_USER}', password: '${E2E_REGISTRY_PASSWORD}' },
      artifact_store,
    };
  }

  /** Stores the basic-auth registry's login as the {@link REGISTRY_SECRETS} of the project. */
  addRegistrySecrets(username: string, password: string): void {
    this.cloudbuild.secretManager.add(PROJECT, REGISTRY_SECRETS.username, username);
    this.cloudbuild.secretManager.add(PROJECT, REGISTRY_SECRETS.password, password);
  }

  /** Cloud Build calls received so far as `METHOD path status` (Secret Manager, on the same port, apart). */
  cloudbuildCalls(from = 0): string[] {
    return this.cloudbuild.calls
      .slice(from)
      .filter((c) => c.service !== 'secretmanager')
      .map((c) => `${c.method} ${c.path} ${c.status}`);
  }

  /** Secret Manager calls received so far as `METHOD path status`. */
  secretManagerCalls(from = 0): string[] {
    return this.cloudbuild.calls
      .slice(from)
      .filter((c) => c.service === 'secretmanager')
      .map((c) => `${c.method} ${c.path} ${c.status}`);
  }

  /** `createBuild` calls received since `from` (accepted or not). */
  creates(from = 0): string[] {
    return this.cloudbuildCalls(from).filter((c) => /^POST \/v1\/projects\/[^/]+\/(locations\/[^/]+\/)?builds /.test(c));
  }

  /** Every object the store holds below its folder (relative to the folder). */
  storeKeys(): string[] {
    return this.gcs.objectNames(BUCKET).filter((k) => k.startsWith(`${STORE_FOLDER}/`)).map((k) => k.slice(`${STORE_FOLDER}/`.length));
  }

  /** Tags of a repository of the registry, [] when it has none. */
  async tags(repository: string): Promise<string[]> {
    const res = await fetch(`http://${this.registry.address}/v2/${repository}/tags/list`, { headers: this.authHeader() });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`registry tags of ${repository}: HTTP ${res.status}`);
    return (((await res.json()) as { tags: string[] | null }).tags ?? []).sort();
  }

  /** The digest the registry serves for `name` (`host:port/repo:tag`), undefined when absent (the `gcp` registry's login unless `login` is given). */
  async registryDigest(name: string, login?: { username: string; password: string }): Promise<string | undefined> {
    const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(name);
    if (!m) throw new Error(`not host/repository:tag: ${name}`);
    const accept = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'].join(', ');
    const res = await fetch(`http://${m[1]}/v2/${m[2]}/manifests/${m[3]}`, { method: 'HEAD', headers: { accept, ...this.authHeader(login) } });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`registry HEAD ${name}: HTTP ${res.status}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  private authHeader(login = { username: 'oauth2accesstoken', password: this.token }): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}` };
  }
}

/** `<root>/node_modules/@stowage/<name>` → the workspace GCP plugins (Stowage resolves plugins from the project folder up). */
export async function linkGcpPlugins(root: string): Promise<void> {
  await mkdir(join(root, 'node_modules', '@stowage'), { recursive: true });
  for (const name of LINKED_PLUGINS) await symlink(join(REPO_ROOT, 'plugins', name), join(root, 'node_modules', '@stowage', name));
}

export const GCP_PLUGINS = ['image-builder-gcp-cloudbuild', 'container-registry-gcp', 'artifact-store-gcs'];
/** Linked too: the `gcp-oci` stack's registry. */
const LINKED_PLUGINS = [...GCP_PLUGINS, 'container-registry-oci'];
