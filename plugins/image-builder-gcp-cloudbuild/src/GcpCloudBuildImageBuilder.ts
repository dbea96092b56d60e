import {
  parseImageReference,
  StowageError,
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
import { buildFailure, callFailure } from './cloudBuildFailure.js';
import type { GcpCloudBuildImageBuilderConfig } from './config.js';
import { followBuild } from './followBuild.js';
import { registryLoginStep, renderBuild, type CloudBuildStep } from './renderBuild.js';

type RegistryHandle = DependencyHandle<ContainerRegistry, ContainerRegistryDescription>;

/**
 * Builds on Google Cloud Build: the staged tar.gz context is the build's storage source, the
 * steps build and push with the builder image, and the digest is the one Cloud Build reports
 * for `images` (`results.images[].digest`).
 */
export class GcpCloudBuildImageBuilder implements ImageBuilder {
  constructor(
    private readonly api: CloudBuildApi,
    private readonly config: GcpCloudBuildImageBuilderConfig,
    private readonly registry: RegistryHandle,
  ) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const source = gcsSource(request.stagedContext, request.imageName);
    const ref = parseImageReference(request.imageName);
    const registry = await this.registry.get();
    const login = request.push ? await this.login(registry, ref) : undefined;
    if (request.push) await registry.prepareRepository?.(ref.repository);
    const { operation, build: started } = await this.start(request, source, login);
    request.onEvent({ type: 'status', message: `Cloud Build build ${started.id} started; logs: ${started.logUrl ?? '(none yet)'}` });
    const pollMs = this.config.poll_interval_seconds * 1000;
    const { build, lastLines } = await followBuild(this.api, operation, started, { pollMs, signal: request.signal, onEvent: request.onEvent });
    if (build.status !== 'SUCCESS') throw buildFailure(build, request.imageName, lastLines, this.config.build_timeout);
    if (!request.push) return { imageName: request.imageName };
    return { imageName: request.imageName, digest: reportedDigest(build, request.imageName) };
  }

  /**
   * A `gcp` registry needs no login: Cloud Build's service account is authorised for the project's
   * Artifact Registry and GCR. Any other gets a login step with the registry component's credentials.
   */
  private async login(registry: ContainerRegistry, ref: ImageRef): Promise<CloudBuildStep | undefined> {
    if (this.registry.flavor === 'gcp') return undefined;
    const auth = await registry.auth({ repository: ref.repository, actions: ['pull', 'push'] });
    if (auth.type === 'anonymous' || auth.type === 'ambient') return undefined;
    if (auth.type === 'bearer') {
      throw new StowageError(`the registry ${ref.registry} answers with a bearer token, which \`docker login\` in a Cloud Build step cannot use`, {
        code: 'CAPABILITY_MISSING',
        hint: 'use a registry that gives a user and password (basic auth), or a `gcp` container registry, which Cloud Build pushes to without a login',
      });
    }
    return registryLoginStep(this.config.cloud_builder_image, ref, auth);
  }

  private async start(request: ImageBuildRequest, source: { bucket: string; object: string }, login: CloudBuildStep | undefined) {
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
