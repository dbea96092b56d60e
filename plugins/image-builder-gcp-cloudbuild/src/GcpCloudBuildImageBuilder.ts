import {
  parseImageReference,
  StowageError,
  toStowageError,
  type ArtifactLocation,
  type ContainerRegistry,
  type ContainerRegistryDescription,
  type DependencyHandle,
  type ImageBuilder,
  type ImageBuildRequest,
  type ImageBuildResult,
  type ImageRef,
} from '@stowage/plugin-api';
import type { CloudBuildApi } from './CloudBuildApi.js';
import type { CloudBuildState } from './CloudBuildStatus.js';
import { buildFailure, callFailure, secretFailure } from './cloudBuildFailure.js';
import type { GcpCloudBuildImageBuilderConfig } from './config.js';
import { followBuild } from './followBuild.js';
import { basicCredentials, secretManagerLogin, temporarySecretLogin, type RegistryLogin } from './registryLogin.js';
import { renderBuild } from './renderBuild.js';
import { secretVersionName } from './secretVersionName.js';
import { TemporarySecrets, type LeftSecret } from './TemporarySecrets.js';

type RegistryHandle = DependencyHandle<ContainerRegistry, ContainerRegistryDescription>;

/**
 * Builds on Google Cloud Build: the staged tar.gz context is the build's storage source, the
 * steps build and push with the builder image, and the digest is the one Cloud Build reports
 * for `images` (`results.images[].digest`). No secret value goes to Cloud Build: a registry login
 * reaches the build as Secret Manager versions Cloud Build reads itself (`availableSecrets`).
 */
export class GcpCloudBuildImageBuilder implements ImageBuilder {
  constructor(
    private readonly api: CloudBuildApi,
    private readonly config: GcpCloudBuildImageBuilderConfig,
    private readonly registry: RegistryHandle,
  ) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const source = gcsSource(request.stagedContext, request.imageName);
    const secrets = new TemporarySecrets(() => this.api.secretManager(), { project: () => this.api.project(), prefix: this.config.temporary_secret_prefix, buildTimeoutSeconds: this.config.build_timeout });
    let result: ImageBuildResult;
    try {
      result = await this.buildFrom(source, request, secrets);
    } catch (error) {
      throw withLeftSecrets(error, await secrets.deleteAll(), request.imageName);
    }
    for (const left of await secrets.deleteAll()) request.onEvent({ type: 'status', message: `warning: ${leftLine(left)}` });
    return result;
  }

  private async buildFrom(source: { bucket: string; object: string }, request: ImageBuildRequest, secrets: TemporarySecrets): Promise<ImageBuildResult> {
    const ref = parseImageReference(request.imageName);
    const registry = await this.registry.get();
    const login = request.push ? await this.login(registry, ref, secrets, request) : undefined;
    if (request.push) await registry.prepareRepository?.(ref.repository);
    // A Ctrl-C during the login or the repository check: no remote build is started at all.
    if (request.signal.aborted) throw new StowageError(`build cancelled before Cloud Build started a build of ${request.imageName}`, { code: 'BUILD_CANCELLED' });
    const { operation, build: started } = await this.start(request, source, login);
    request.onEvent({ type: 'status', message: `Cloud Build build ${started.id} started; logs: ${started.logUrl ?? '(none yet)'}` });
    const pollMs = this.config.poll_interval_seconds * 1000;
    const { build, lastLines } = await followBuild(this.api, operation, started, { pollMs, signal: request.signal, onEvent: request.onEvent });
    if (build.status !== 'SUCCESS') throw buildFailure(build, request.imageName, lastLines, this.config.build_timeout);
    if (!request.push) return { imageName: request.imageName };
    return { imageName: request.imageName, digest: reportedDigest(build, request.imageName) };
  }

  /**
   * The configured Secret Manager login; else none for a `gcp` registry (Cloud Build's service
   * account is authorised for the project's Artifact Registry and GCR); else the registry
   * component's login, its password in a temporary secret.
   */
  private async login(registry: ContainerRegistry, ref: ImageRef, secrets: TemporarySecrets, request: ImageBuildRequest): Promise<RegistryLogin | undefined> {
    const { registry_username_secret: username, registry_password_secret: password, cloud_builder_image: image } = this.config;
    if (username && password) {
      const project = await this.api.project();
      return secretManagerLogin(image, ref, secretVersionName(username, project, 'registry_username_secret'), secretVersionName(password, project, 'registry_password_secret'));
    }
    if (this.registry.flavor === 'gcp') return undefined;
    const credentials = basicCredentials(ref, await registry.auth({ repository: ref.repository, actions: ['pull', 'push'] }));
    if (!credentials) return undefined;
    const version = await secrets.put(credentials.password).catch(async (error: unknown) => {
      const project = await this.api.project().catch(() => '(unknown project)');
      throw secretFailure(`could not keep the password for ${ref.registry} in Secret Manager for the Cloud Build build of ${request.imageName}`, error, project, this.config.temporary_secret_prefix);
    });
    request.onEvent({ type: 'status', message: `the registry password reaches Cloud Build as the Secret Manager version ${version}, deleted when the build ends` });
    return temporarySecretLogin(image, ref, credentials.username, version);
  }

  private async start(request: ImageBuildRequest, source: { bucket: string; object: string }, login: RegistryLogin | undefined) {
    const build = renderBuild({
      imageName: request.imageName,
      options: request.options,
      push: request.push,
      source,
      builderImage: this.config.cloud_builder_image,
      network: this.config.network,
      timeoutSeconds: this.config.build_timeout,
      ...(this.config.logs_bucket ? { logsBucket: this.config.logs_bucket } : {}),
      ...(login ? { login } : {}),
    });
    // Not aborted mid-request: a build Cloud Build created but never answered for would run on
    // with nobody to cancel it. Once it answers, following the build sees the abort and cancels.
    return this.api.create(build).catch(async (error: unknown) => {
      const project = await this.api.project().catch(() => '(unknown project)');
      throw callFailure(`Cloud Build could not start a build of ${request.imageName} in project ${project}${this.config.location ? ` (${this.config.location})` : ''}`, error);
    });
  }
}

/** What to do about a secret that is left: delete it by hand. */
function leftLine(left: LeftSecret): string {
  return `the temporary Secret Manager secret ${left.name} could not be deleted (${left.reason}): delete it with \`gcloud secrets delete ${left.id} --project=${left.project} --quiet\``;
}

/** The build's error, naming the secrets that could not be deleted after it. */
function withLeftSecrets(error: unknown, left: readonly LeftSecret[], imageName: string): unknown {
  if (left.length === 0) return error;
  const failure = StowageError.isInstance(error) ? error : toStowageError(error, { code: 'BUILD_FAILED', message: `the Cloud Build build of ${imageName} failed` });
  failure.details.push(...left.map(leftLine));
  return failure;
}

/** The digest Cloud Build reports for the image it pushed. */
function reportedDigest(build: CloudBuildState, imageName: string): string {
  const digest = build.images.find((i) => i.name === imageName)?.digest;
  if (digest) return digest;
  throw new StowageError(`Cloud Build build ${build.id} succeeded but reports no digest for ${imageName}`, {
    code: 'REGISTRY_FAILED',
    hint: `check the build's PUSH phase in its log: ${build.logUrl ?? build.id}`,
  });
}

/** Cloud Build's storage source, bucket and object, from where the plan staged the context. */
function gcsSource(location: ArtifactLocation | undefined, imageName: string): { bucket: string; object: string } {
  if (!location || location.scheme !== 'gs' || !location.bucket) {
    throw new StowageError(`the context of ${imageName} was not staged on Cloud Storage${location ? ` (it is at ${location.uri})` : ''}`, {
      code: 'CAPABILITY_MISSING',
      hint: 'the gcp-cloudbuild image builder needs a `gcs` artifact store in the stack: the plan stages the context there as a tar.gz',
    });
  }
  return { bucket: location.bucket, object: location.path };
}
