import { StartBuildCommand, type Build, type ComputeType } from '@aws-sdk/client-codebuild';
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
import { customVariables } from './buildVariables.js';
import { buildFailure, callFailure, parameterFailure } from './codeBuildFailure.js';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';
import type { CodeBuildClients } from './createCodeBuildClients.js';
import { followBuild } from './followBuild.js';
import { basicCredentials, ecrRegion, implicitEcrLogin, NO_LOGIN, parameterStoreLogin, secretsManagerLogin, type RegistryLogin } from './registryLogin.js';
import { renderBuildspec } from './renderBuildspec.js';
import { TemporaryParameters, type LeftParameter } from './TemporaryParameters.js';

type RegistryHandle = DependencyHandle<ContainerRegistry, ContainerRegistryDescription>;

/**
 * Builds on AWS CodeBuild: the staged ZIP context is the build's S3 source, a generated buildspec
 * logs in, builds and pushes; the digest is read back from the registry (CodeBuild reports none).
 * No secret value goes to CodeBuild: a registry password reaches the build as a reference to
 * Secrets Manager or to a SecureString parameter that lives only as long as the build.
 */
export class AwsCodeBuildImageBuilder implements ImageBuilder {
  constructor(
    private readonly clients: CodeBuildClients,
    private readonly config: AwsCodeBuildImageBuilderConfig,
    private readonly registry: RegistryHandle,
  ) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const source = s3Source(request.stagedContext, request.imageName);
    const parameters = new TemporaryParameters(this.clients.ssm, this.config.parameter_store_prefix);
    let result: ImageBuildResult;
    try {
      result = await this.buildFrom(source, request, parameters);
    } catch (error) {
      throw withLeftParameters(error, await parameters.deleteAll(), request.imageName);
    }
    for (const left of await parameters.deleteAll()) request.onEvent({ type: 'status', message: `warning: ${leftLine(left)}` });
    return result;
  }

  private async buildFrom(source: string, request: ImageBuildRequest, parameters: TemporaryParameters): Promise<ImageBuildResult> {
    const ref = parseImageReference(request.imageName);
    const registry = await this.registry.get();
    const login = request.push ? await this.login(registry, ref, parameters, request) : NO_LOGIN;
    if (request.push) await registry.prepareRepository?.(ref.repository);
    // A Ctrl-C during the login or the repository check: no remote build is started at all.
    if (request.signal.aborted) throw new StowageError(`build cancelled before CodeBuild started a build of ${request.imageName}`, { code: 'BUILD_CANCELLED' });
    const started = await this.start(request, source, login);
    request.onEvent({ type: 'status', message: `CodeBuild build ${started.id} started; logs: ${started.logs?.deepLink ?? '(none yet)'}` });
    const pollMs = this.config.poll_interval_seconds * 1000;
    const { build, lastLines } = await followBuild(this.clients, started, { pollMs, project: this.config.code_build_project, signal: request.signal, onEvent: request.onEvent });
    if (build.buildStatus !== 'SUCCEEDED') throw buildFailure(build, request.imageName, lastLines);
    if (!request.push) return { imageName: request.imageName };
    return { imageName: request.imageName, digest: await this.pushedDigest(registry, request.imageName, build) };
  }

  /** ECR through the project's role; else the Secrets Manager secret; else the registry's own login, its password in a temporary parameter. */
  private async login(registry: ContainerRegistry, ref: ImageRef, parameters: TemporaryParameters, request: ImageBuildRequest): Promise<RegistryLogin> {
    const region = ecrRegion(ref.registry);
    if (region && this.config.implicit_container_registry_auth) return implicitEcrLogin(ref, region);
    if (this.config.registry_credentials_secret) return secretsManagerLogin(ref, this.config.registry_credentials_secret);
    const credentials = basicCredentials(ref, await registry.auth({ repository: ref.repository, actions: ['pull', 'push'] }));
    if (!credentials) return NO_LOGIN;
    const name = await parameters.put('registry-password', credentials.password).catch((error: unknown) => {
      throw parameterFailure(`could not keep the password for ${ref.registry} in SSM Parameter Store for the CodeBuild build of ${request.imageName}`, error, this.config.parameter_store_prefix);
    });
    request.onEvent({ type: 'status', message: `the registry password reaches CodeBuild as the SecureString parameter ${name}, deleted when the build ends` });
    return parameterStoreLogin(ref, credentials.username, name);
  }

  private async start(request: ImageBuildRequest, source: string, login: RegistryLogin): Promise<Build> {
    const buildspec = renderBuildspec({ imageName: request.imageName, options: request.options, push: request.push, loginCommands: login.commands });
    const command = new StartBuildCommand({
      projectName: this.config.code_build_project,
      sourceTypeOverride: 'S3',
      sourceLocationOverride: source,
      buildspecOverride: buildspec,
      environmentTypeOverride: 'LINUX_CONTAINER',
      imageOverride: this.config.build_image,
      computeTypeOverride: this.config.compute_type as ComputeType,
      privilegedModeOverride: this.config.privileged_mode,
      environmentVariablesOverride: [...customVariables(this.config.custom_env_vars), ...login.variables],
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

/** What to do about a parameter that is left: delete it by hand. */
function leftLine(left: LeftParameter): string {
  return `the temporary SSM parameter ${left.name} could not be deleted (${left.reason}): delete it with \`aws ssm delete-parameter --name ${left.name}\``;
}

/** The build's error, naming the parameters that could not be deleted after it. */
function withLeftParameters(error: unknown, left: readonly LeftParameter[], imageName: string): unknown {
  if (left.length === 0) return error;
  const failure = StowageError.isInstance(error) ? error : toStowageError(error, { code: 'BUILD_FAILED', message: `the CodeBuild build of ${imageName} failed` });
  failure.details.push(...left.map(leftLine));
  return failure;
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
