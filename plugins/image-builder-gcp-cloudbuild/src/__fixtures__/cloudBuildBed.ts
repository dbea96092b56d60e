import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { makeTestServiceAccount, type TestServiceAccount } from '@stowage/gcp-auth-emulator';
import { CloudBuildEmulator, tarGzContext, type ContextFile, type RegistryLogin } from '@stowage/gcp-cloudbuild-emulator';
import { GcsEmulator } from '@stowage/gcs-emulator';
import { MANIFEST_ACCEPT } from '@stowage/oci';
import type { ArtifactLocation, BuildEvent, ContainerRegistry, ImageBuildRequest, RegistryAuth, RegistryAuthScope } from '@stowage/plugin-api';
import { CloudBuildApi } from '../CloudBuildApi.js';
import { GcpCloudBuildImageBuilderConfigSchema } from '../config.js';
import { GcpCloudBuildImageBuilder } from '../GcpCloudBuildImageBuilder.js';

export const PROJECT = 'stowage-test';
/** The artifact store's bucket: staged contexts and the build logs. */
export const BUCKET = 'stowage-artifacts';

/** A registry component answering `auth` with `answer` and reading digests over the v2 API. */
export class LoopbackRegistry implements ContainerRegistry {
  readonly scopes: RegistryAuthScope[] = [];
  readonly prepared: string[] = [];
  constructor(readonly answer: RegistryAuth = { type: 'anonymous' }) {}
  async auth(scope: RegistryAuthScope): Promise<RegistryAuth> {
    this.scopes.push(scope);
    return this.answer;
  }
  async imageExists(): Promise<'unknown'> {
    return 'unknown';
  }
  async prepareRepository(repository: string): Promise<void> {
    this.prepared.push(repository);
  }
  async resolveDigest(reference: string): Promise<string | undefined> {
    const [, host, repository, tag] = /^([^/]+)\/(.+):([^:/]+)$/.exec(reference)!;
    const basic: Record<string, string> = this.answer.type === 'basic' ? { authorization: `Basic ${Buffer.from(`${this.answer.username}:${this.answer.password}`).toString('base64')}` } : {};
    const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT, ...basic } });
    return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
  }
}

/**
 * The GCS emulator (staged contexts, build logs) and the Cloud Build emulator, with builders on
 * them driven by the real `@google-cloud/cloudbuild` client. The user may call with an access
 * token or a service account's self-signed JWT; the builds read GCS as their own service account.
 */
export class CloudBuildBed {
  readonly apis: CloudBuildApi[] = [];

  private constructor(
    readonly gcs: GcsEmulator,
    readonly emulator: CloudBuildEmulator,
    readonly token: string,
    readonly account: TestServiceAccount,
  ) {}

  static async start(registryLogins: readonly RegistryLogin[] = []): Promise<CloudBuildBed> {
    const token = `ya29.user-${randomBytes(6).toString('hex')}`;
    const buildToken = `ya29.cloudbuild-${randomBytes(6).toString('hex')}`;
    const account = makeTestServiceAccount(`stowage-builder@${PROJECT}.iam.gserviceaccount.com`);
    const trust = { accessTokens: [token], serviceAccounts: [account] };
    const gcs = await GcsEmulator.start({ trust: { ...trust, accessTokens: [token, buildToken] }, buckets: [BUCKET] });
    const emulator = await CloudBuildEmulator.start({ trust, gcs: { endpoint: gcs.endpoint, token: buildToken }, projects: [PROJECT], registryLogins });
    return new CloudBuildBed(gcs, emulator, token, account);
  }

  async stop(): Promise<void> {
    await Promise.all(this.apis.map((a) => a.close()));
    await this.emulator?.stop();
    await this.gcs?.stop();
  }

  /** A builder config of the flavor for this bed (overrides win): RUN steps reach loopback with network host. */
  config(extra: Record<string, unknown> = {}) {
    return GcpCloudBuildImageBuilderConfigSchema.parse({
      project: PROJECT,
      access_token: this.token,
      endpoint: this.emulator.endpoint,
      secret_manager_endpoint: this.emulator.endpoint,
      storage_endpoint: this.gcs.endpoint,
      logs_bucket: `gs://${BUCKET}/cloud-build-logs`,
      network: 'host',
      poll_interval_seconds: 0.1,
      ...extra,
    });
  }

  builder(registry: ContainerRegistry, extra: Record<string, unknown> = {}, registryFlavor = 'oci'): GcpCloudBuildImageBuilder {
    const config = this.config(extra);
    const api = new CloudBuildApi(config);
    this.apis.push(api);
    const handle = { flavor: registryFlavor, description: { uri: '127.0.0.1:5000' }, get: async () => registry };
    return new GcpCloudBuildImageBuilder(api, config, handle);
  }

  /** Stages a tar.gz of `files` as the plan's stage-context step does (`cloud-build-contexts/…` in the store's bucket). */
  async stage(files: Record<string, ContextFile>): Promise<ArtifactLocation> {
    const path = `stowage/cloud-build-contexts/${randomBytes(8).toString('hex')}.tar.gz`;
    this.gcs.putObject(BUCKET, path, await tarGzContext(files), { contentType: 'application/gzip' });
    return { uri: `gs://${BUCKET}/${path}`, scheme: 'gs', bucket: BUCKET, path };
  }

  /** The last build the emulator started. */
  lastBuild() {
    return [...this.emulator.builds.values()].at(-1)!;
  }
}

export type TestRequest = ImageBuildRequest & { events: BuildEvent[]; controller: AbortController };

/** A request for a staged context; the tar context must never be opened by a builder that stages. */
export function buildRequest(imageName: string, stagedContext: ArtifactLocation | undefined, extra: Partial<ImageBuildRequest> = {}): TestRequest {
  const events: BuildEvent[] = [];
  const controller = new AbortController();
  const context = {
    open: (): Readable => {
      throw new Error('gcp-cloudbuild must read the staged context, not the tar stream');
    },
    digest: async () => 'sha256:' + '0'.repeat(64),
  };
  return { imageName, context, stagedContext, options: {}, builderOptions: {}, push: true, signal: controller.signal, onEvent: (e) => events.push(e), events, controller, ...extra };
}

export const logLines = (request: TestRequest) => request.events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
