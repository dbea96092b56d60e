import type Docker from 'dockerode';
import {
  StowageError,
  type ImageBuilder,
  type ImageBuilderCapabilities,
  type ImageBuildRequest,
  type ImageBuildResult,
  type ImagePresence,
} from '@stowage/core';
import { BuildDeadline } from './BuildDeadline.js';
import { buildFailedError } from './buildFailedError.js';
import { BuildTranscript } from './BuildTranscript.js';
import type { LocalImageBuilderConfig } from './config.js';
import { engineMessage } from './engineMessage.js';
import { engineUnavailable, isEngineUnreachable } from './engineUnavailable.js';
import { followEngineProgress } from './followEngineProgress.js';
import { mapBuildOptions, type EngineBuildParams } from './mapBuildOptions.js';
import { inspectImageOverHttp } from './inspectImageOverHttp.js';
import { localBuilderCapabilities } from './localBuilderCapabilities.js';
import { pushImage, pushTargetOf } from './pushImage.js';
import { registryPullAuth } from './registryPullAuth.js';
import type { EngineAddress } from './resolveEngineAddress.js';

/** Builds with the local Docker engine (ZenML's `local` image builder), pushing when given a registry. */
export class LocalImageBuilder implements ImageBuilder {
  readonly capabilities: ImageBuilderCapabilities;

  private client?: Promise<Docker>;

  /** `docker` is a client, or a factory that creates one on first use (dockerode loads lazily). */
  constructor(
    docker: Docker | (() => Promise<Docker>),
    private readonly engine: EngineAddress,
    private readonly config: LocalImageBuilderConfig,
  ) {
    this.capabilities = localBuilderCapabilities(config.buildkit);
    this.connect = typeof docker === 'function' ? docker : () => Promise.resolve(docker);
  }

  private readonly connect: () => Promise<Docker>;

  private docker(): Promise<Docker> {
    this.client ??= this.connect();
    return this.client;
  }

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const params = this.buildParams(request);
    const { imageName, registry, onEvent } = request;
    const target = registry ? pushTargetOf(imageName, registry) : undefined;
    const deadline = new BuildDeadline(request.signal, this.config.timeout_seconds);
    try {
      // A build cancelled before it started must not open the context or ask the registry or engine anything.
      if (deadline.aborted) throw deadline.error(`building image ${imageName}`);
      const pullAuth = await registryPullAuth(registry, this.config.buildkit);
      await this.runBuild(request, { ...params, ...pullAuth }, deadline);
      if (!registry || !target) return { imageName };
      // The push asks the registry for credentials again: tokens (ECR, GCP) may expire during a long build.
      const digest = await pushImage(await this.docker(), this.engine, { imageName, registry, target, deadline, onEvent });
      return { imageName, digest };
    } finally {
      deadline.dispose();
    }
  }

  async imageExists(imageName: string): Promise<ImagePresence> {
    const probed = inspectImageOverHttp(this.engine, imageName);
    if (probed) return probed;
    try {
      await (await this.docker()).getImage(imageName).inspect();
      return 'present';
    } catch (error) {
      return (error as { statusCode?: number }).statusCode === 404 ? 'absent' : 'unknown';
    }
  }

  /** Engine API parameters: the request's options over the builder's defaults. */
  private buildParams(request: ImageBuildRequest): Docker.ImageBuildOptions {
    const mapped: EngineBuildParams = mapBuildOptions(request.options);
    const platform = mapped.platform ?? request.platform ?? this.config.platform;
    const networkmode = mapped.networkmode ?? this.config.network_mode;
    const params = {
      // Failed builds must not leave their build container behind (docker-py defaults this to false).
      forcerm: true,
      ...mapped,
      ...(platform ? { platform } : {}),
      ...(networkmode ? { networkmode } : {}),
      t: request.imageName,
      ...(this.config.buildkit ? { version: '2' as const } : {}),
    };
    // extrahosts and cachefrom are lists on the wire; @types/dockerode types them as strings.
    return params as unknown as Docker.ImageBuildOptions;
  }

  private async runBuild(request: ImageBuildRequest, params: Docker.ImageBuildOptions, deadline: BuildDeadline): Promise<void> {
    const what = `building image ${request.imageName}`;
    const context = request.context.open();
    let contextError: unknown;
    context.once('error', (error) => (contextError ??= error));
    const transcript = new BuildTranscript(request.onEvent);
    try {
      const docker = await this.docker();
      const stream = await docker.buildImage(context, { ...params, abortSignal: deadline.signal });
      await followEngineProgress(docker, stream, deadline.signal, (event) => transcript.accept(event));
      transcript.finish();
    } catch (error) {
      transcript.finish();
      throw this.buildError(request.imageName, deadline, transcript, contextError ?? error);
    } finally {
      context.destroy();
    }
    if (deadline.aborted) throw deadline.error(what);
    if (contextError) throw this.buildError(request.imageName, deadline, transcript, contextError);
    if (transcript.failed) throw buildFailedError(transcript.failure(request.imageName));
    // A stream that ends without an error or an image id was cut off (engine restart, proxy timeout).
    if (!transcript.builtImage) {
      throw buildFailedError(transcript.failure(request.imageName, 'the engine ended the build without reporting an image'));
    }
  }

  /** Shapes a rejected build call or a broken progress stream. */
  private buildError(imageName: string, deadline: BuildDeadline, transcript: BuildTranscript, error: unknown): StowageError {
    if (StowageError.isInstance(error)) return error;
    if (deadline.aborted) return deadline.error(`building image ${imageName}`);
    if (isEngineUnreachable(error)) return engineUnavailable(this.engine, error);
    return buildFailedError(transcript.failure(imageName, engineMessage(error)), error);
  }
}
