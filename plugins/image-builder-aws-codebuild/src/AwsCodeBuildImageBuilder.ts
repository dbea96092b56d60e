import { StartBuildCommand, type Build, type ComputeType } from '@aws-sdk/client-codebuild';
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
import { buildFailure, callFailure } from './codeBuildFailure.js';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';
import type { CodeBuildClients } from './createCodeBuildClients.js';
import { followBuild } from './followBuild.js';
import { ecrRegion, explicitLogin, implicitEcrLogin, type BuildVariable, type RegistryLogin } from './registryLogin.js';
import { renderBuildspec } from './renderBuildspec.js';

type RegistryHandle = DependencyHandle<ContainerRegistry, ContainerRegistryDescription>;

/**
 * Builds on AWS CodeBuild: the staged ZIP context is the build's S3 source, a generated buildspec
 * logs in, builds and pushes; the digest is read back from the registry (CodeBuild reports none).
 */
export class AwsCodeBuildImageBuilder implements ImageBuilder {
  constructor(
    private readonly clients: CodeBuildClients,
    private readonly config: AwsCodeBuildImageBuilderConfig,
    private readonly registry: RegistryHandle,
  ) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const source = s3Source(request.stagedContext, request.imageName);
    const ref = parseImageReference(request.imageName);
    const registry = await this.registry.get();
    const login = request.push ? await this.login(registry, ref) : { commands: [], variables: [] };
    if (request.push) await registry.prepareRepository?.(ref.repository);
    const started = await this.start(request, source, login);
    request.onEvent({ type: 'status', message: `CodeBuild build ${started.id} started; logs: ${started.logs?.deepLink ?? '(none yet)'}` });
    const pollMs = this.config.poll_interval_seconds * 1000;
    const { build, lastLines } = await followBuild(this.clients, started, { pollMs, project: this.config.code_build_project, signal: request.signal, onEvent: request.onEvent });
    if (build.buildStatus !== 'SUCCEEDED') throw buildFailure(build, request.imageName, lastLines);
    if (!request.push) return { imageName: request.imageName };
    return { imageName: request.imageName, digest: await this.pushedDigest(registry, request.imageName, build) };
  }

  private async login(registry: ContainerRegistry, ref: ImageRef): Promise<RegistryLogin> {
    const region = ecrRegion(ref.registry);
    if (region && this.config.implicit_container_registry_auth) return implicitEcrLogin(ref, region);
    return explicitLogin(ref, await registry.auth({ repository: ref.repository, actions: ['pull', 'push'] }));
  }

  private async start(request: ImageBuildRequest, source: string, login: RegistryLogin): Promise<Build> {
    const buildspec = renderBuildspec({ imageName: request.imageName, options: request.options, push: request.push, loginCommands: login.commands });
    const custom: BuildVariable[] = Object.entries(this.config.custom_env_vars).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }));
    const command = new StartBuildCommand({
      projectName: this.config.code_build_project,
      sourceTypeOverride: 'S3',
      sourceLocationOverride: source,
      buildspecOverride: buildspec,
      environmentTypeOverride: 'LINUX_CONTAINER',
      imageOverride: this.config.build_image,
      computeTypeOverride: this.config.compute_type as ComputeType,
      privilegedModeOverride: this.config.privileged_mode,
      environmentVariablesOverride: [...custom, ...login.variables],
      artifactsOverride: { type: 'NO_ARTIFACTS' },
    });
    // Not aborted mid-request: a StartBuild CodeBuild received but never answered would leave a build
    // running that nobody stops. Once it answers, following the build sees the abort and calls StopBuild.
    const answer = await this.clients.codebuild.send(command).catch((error: unknown) => {
      throw callFailure(`CodeBuild could not start a build of ${request.imageName} in project ${this.config.code_build_project}`, error, this.config.code_build_project);
    });
    return answer.build!;
  }

  private async pushedDigest(registry: ContainerRegistry, imageName: string, build: Build): Promise<string> {
    const digest = await registry.resolveDigest(imageName);
    if (digest) return digest;
    throw new StowageError(`CodeBuild build ${build.id} succeeded but the registry reports no ${imageName}`, {
      code: 'REGISTRY_FAILED',
      hint: `check the build log for the push: ${build.logs?.deepLink ?? build.id}`,
    });
  }
}

/** CodeBuild's S3 source location, `<bucket>/<key>`, from where the plan staged the context. */
function s3Source(location: ArtifactLocation | undefined, imageName: string): string {
  if (!location || location.scheme !== 's3' || !location.bucket) {
    throw new StowageError(`the context of ${imageName} was not staged on S3${location ? ` (it is at ${location.uri})` : ''}`, {
      code: 'CAPABILITY_MISSING',
      hint: 'the aws-codebuild image builder needs an `s3` artifact store in the stack: the plan stages the context there as a ZIP',
    });
  }
  return `${location.bucket}/${location.path}`;
}
