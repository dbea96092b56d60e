import { CloudBuildClient, type protos } from '@google-cloud/cloudbuild';
import { GoogleAuth, JWT, OAuth2Client } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE, gcpCredentialSource, projectOf, type GcpCredentialSource } from '@stowage/gcp';
import { StowageError } from '@stowage/plugin-api';
import { cloudBuildState, type CloudBuildState } from './CloudBuildStatus.js';
import type { GcpCloudBuildImageBuilderConfig } from './config.js';
import type { CloudBuildRequest } from './CloudBuildRequest.js';
import { googleClientOptions } from './googleClientOptions.js';
import type { SecretManagerApi } from './SecretManagerApi.js';

const GOOGLE_STORAGE = 'https://storage.googleapis.com';

/** An auth client of this package's own google-auth-library (the major google-gax 5 expects). */
export function createAuthClient(source: GcpCredentialSource): OAuth2Client | JWT | GoogleAuth {
  if (source.kind === 'access-token') {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: source.token });
    return client;
  }
  if (source.kind === 'service-account') {
    const { client_email, private_key, private_key_id } = source.key;
    const jwt = new JWT({ email: client_email, key: private_key, ...(private_key_id ? { keyId: private_key_id } : {}), scopes: [CLOUD_PLATFORM_SCOPE] });
    // A self-signed JWT as the bearer: no call to Google's token endpoint.
    jwt.useJWTAccessWithScope = true;
    return jwt;
  }
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

/** What one poll of the build's long-running operation says. */
export interface OperationProgress {
  done: boolean;
  /** The build in the operation's metadata (absent when the operation ended in an error). */
  build?: CloudBuildState;
}

/**
 * The Cloud Build calls a builder makes, global or regional (`location`), over REST with an
 * injected auth client (never the client's own credential discovery), plus reads of the build log
 * and, with the same auth client, Secret Manager for temporary secrets.
 */
export class CloudBuildApi {
  private readonly client: CloudBuildClient;
  private projectId?: Promise<string>;
  private secrets?: Promise<SecretManagerApi>;

  constructor(
    private readonly config: GcpCloudBuildImageBuilderConfig,
    private readonly auth: OAuth2Client | JWT | GoogleAuth = createAuthClient(gcpCredentialSource(config)),
  ) {
    this.client = new CloudBuildClient(googleClientOptions(config.endpoint, auth));
  }

  /** Secret Manager, for the temporary secrets of a build; its client loads on the first call (most builds never need it). */
  secretManager(): Promise<SecretManagerApi> {
    this.secrets ??= import('./SecretManagerApi.js').then(({ SecretManagerApi }) => new SecretManagerApi(this.config.secret_manager_endpoint, this.auth));
    return this.secrets;
  }

  /** `project`, the key's `project_id`, else what Application Default Credentials name. */
  project(): Promise<string> {
    const known = projectOf(this.config);
    this.projectId ??= known ? Promise.resolve(known) : this.adcProject();
    return this.projectId;
  }

  private async adcProject(): Promise<string> {
    const found = this.auth instanceof GoogleAuth ? await this.auth.getProjectId().catch(() => undefined) : undefined;
    if (found) return found;
    throw new StowageError('gcp-cloudbuild does not know which GCP project to build in', { code: 'CONFIG_INVALID', keyPath: 'project', hint: 'set `project` in the image_builder config (or GOOGLE_CLOUD_PROJECT for Application Default Credentials)' });
  }

  private async parent(): Promise<{ projectId: string } | { parent: string }> {
    const project = await this.project();
    return this.config.location ? { parent: `projects/${project}/locations/${this.config.location}` } : { projectId: project };
  }

  private async buildRef(id: string): Promise<{ projectId: string; id: string } | { name: string }> {
    const project = await this.project();
    return this.config.location ? { name: `projects/${project}/locations/${this.config.location}/builds/${id}` } : { projectId: project, id };
  }

  /** CreateBuild: the operation's name and the build as created. */
  async create(build: CloudBuildRequest): Promise<{ operation: string; build: CloudBuildState }> {
    const [operation] = await this.client.createBuild({ ...(await this.parent()), build });
    const metadata = operation.metadata as protos.google.devtools.cloudbuild.v1.IBuildOperationMetadata | null;
    return { operation: operation.name ?? '', build: cloudBuildState(metadata?.build ?? {}) };
  }

  /** One GET of the operation (what google-gax's polling does). */
  async progress(operation: string): Promise<OperationProgress> {
    const answer = await this.client.checkCreateBuildProgress(operation);
    const metadata = answer.metadata as protos.google.devtools.cloudbuild.v1.IBuildOperationMetadata | null;
    return { done: Boolean(answer.done), ...(metadata?.build ? { build: cloudBuildState(metadata.build) } : {}) };
  }

  async get(id: string): Promise<CloudBuildState> {
    const [build] = await this.client.getBuild(await this.buildRef(id));
    return cloudBuildState(build);
  }

  async cancel(id: string): Promise<void> {
    await this.client.cancelBuild(await this.buildRef(id));
  }

  /** `gs://bucket/name` from byte `offset` on (a `Range` read of the JSON API's media download). */
  async readObject(bucket: string, name: string, offset: number): Promise<{ status: number; bytes: Buffer }> {
    const base = (this.config.storage_endpoint ?? GOOGLE_STORAGE).replace(/\/$/, '');
    const url = `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}?alt=media`;
    const res = await this.auth.request<ArrayBuffer>({ url, headers: { Range: `bytes=${offset}-` }, responseType: 'arraybuffer', validateStatus: () => true, retry: false });
    return { status: res.status, bytes: Buffer.from(res.data ?? new ArrayBuffer(0)) };
  }

  async close(): Promise<void> {
    const secrets = this.secrets && (await this.secrets.catch(() => undefined));
    await Promise.all([this.client.close(), secrets?.close()]);
  }
}
