import type Docker from 'dockerode';
import {
  StowageError,
  type ContainerRegistry,
  type ContainerRegistryDescription,
  type DependencyHandle,
  type ImageBuilder,
  type ImageBuildRequest,
  type ImageBuildResult,
  type ImagePresence,
  type ImagePushRequest,
} from '@stowage/plugin-api';
import { BuildDeadline } from './BuildDeadline.js';
import { buildFailedError } from './buildFailedError.js';
import { parseBuilderOptions } from './builderOptions.js';
import { BuildTranscript } from './BuildTranscript.js';
import type { LocalImageBuilderConfig } from './config.js';
import { engineBuildParams } from './engineBuildParams.js';
import { engineMessage } from './engineMessage.js';
import { engineUnavailable, isEngineUnreachable } from './engineUnavailable.js';
import { followEngineProgress } from './followEngineProgress.js';
import { inspectImageOverHttp } from './inspectImageOverHttp.js';
import { dockerfileOfContext, localOnlyImages, parentImagesOf } from './localOnlyParents.js';
import { pushImage } from './pushImage.js';
import { builderFor, classicOnlyOptions, pullsFromStackRegistry, registryPullAuth } from './registryPullAuth.js';
import type { EngineAddress } from './resolveEngineAddress.js';

/** Builds with the local Docker engine (ZenML's `local` image builder); pushes in a separate step. */
export class LocalImageBuilder implements ImageBuilder {
  private client?: Promise<Docker>;
  private readonly connect: () => Promise<Docker>;

  /**
   * `docker` is a client, or a factory that creates one on first use (dockerode loads lazily);
   * `registry` is the stack's container registry, when it has one.
   */
  constructor(
    docker: Docker | (() => Promise<Docker>),
    private readonly engine: EngineAddress,
    private readonly config: LocalImageBuilderConfig,
    private readonly registry?: DependencyHandle<ContainerRegistry, ContainerRegistryDescription>,
  ) {
    this.connect = typeof docker === 'function' ? docker : () => Promise.resolve(docker);
  }

  private docker(): Promise<Docker> {
    this.client ??= this.connect();
    return this.client;
  }

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const { imageName } = request;
    if (request.push) throw pushInBuild(imageName);
    // Checked before anything is opened or asked: a bad option fails in a moment, not after a pull.
    const params = engineBuildParams(request.options, this.config, parseBuilderOptions(request.builderOptions));
    const deadline = new BuildDeadline(request.signal, this.config.timeout_seconds);
    try {
      // A build cancelled before it started must not open the context or ask the registry or engine anything.
      if (deadline.aborted) throw deadline.error(`building image ${imageName}`);
      // The Dockerfile's parents, read from the context's start once, for whichever asks first.
      let parents: Promise<string[]> | undefined;
      const parentsOf = () => (parents ??= dockerfileOfContext(request.context.open()).then((dockerfile) => parentImagesOf(dockerfile ?? '')));
      const engine = { ...params, ...(await this.builderOf(request, params, parentsOf)) };
      const pull = params.pull ? await this.pullable(request, await parentsOf()) : params.pull;
      const imageId = await this.runBuild(request, { ...engine, pull, t: imageName }, deadline);
      return { imageName, imageId, sizeBytes: await this.sizeOf(imageId) };
    } finally {
      deadline.dispose();
    }
  }

  async push(request: ImagePushRequest): Promise<{ digest: string }> {
    const { imageName, onEvent } = request;
    const deadline = new BuildDeadline(request.signal, this.config.timeout_seconds);
    try {
      if (deadline.aborted) throw deadline.error(`pushing ${imageName}`);
      if (!this.registry) throw noRegistry(imageName);
      const digest = await pushImage(await this.docker(), this.engine, { imageName, registry: this.registry, deadline, onEvent });
      return { digest };
    } finally {
      deadline.dispose();
    }
  }

  async imageExists(imageName: string, imageId?: string): Promise<ImagePresence> {
    const probed = inspectImageOverHttp(this.engine, imageName, imageId);
    if (probed) return probed;
    try {
      const info = await (await this.docker()).getImage(imageName).inspect();
      return !imageId || info.Id === imageId ? 'present' : 'absent';
    } catch (error) {
      return (error as { statusCode?: number }).statusCode === 404 ? 'absent' : 'unknown';
    }
  }

  /** The built image's `Size` as the engine reports it; a failed inspect costs the summary its size, never the build. */
  private async sizeOf(imageId: string): Promise<number | undefined> {
    try {
      const size = (await (await this.docker()).getImage(imageId).inspect()).Size;
      return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * `pull` asks the engine for the newest parent from its registry (ZenML pulls parents that came
   * from one). A parent that exists only on this engine has no registry to come from: then the
   * build does not pull (ZenML's `is_local_image` rule), and says so.
   */
  /**
   * BuildKit or the classic builder for this build (see builderFor), and the stack registry's login
   * for a classic build; BuildKit (`true`) never asks for the login.
   */
  private async builderOf(request: ImageBuildRequest, params: Docker.ImageBuildOptions, parentsOf: () => Promise<string[]>): Promise<ReturnType<typeof builderFor>> {
    const setting = this.config.buildkit;
    if (setting === true) return builderFor(true, {});
    if (setting === 'auto') {
      const login = pullsFromStackRegistry(this.registry, await parentsOf()) ? await registryPullAuth(this.registry, request.imageName) : {};
      return builderFor('auto', login, classicOnlyOptions(params as Record<string, unknown>));
    }
    return builderFor(false, await registryPullAuth(this.registry, request.imageName));
  }

  private async pullable(request: ImageBuildRequest, parents: readonly string[]): Promise<boolean> {
    const local = await localOnlyImages(await this.docker(), parents);
    if (!local.length) return true;
    request.onEvent({ type: 'status', message: `not pulling: ${local.join(', ')} exists only on this engine` });
    return false;
  }

  /** Runs the build; returns the id of the image the engine built. */
  private async runBuild(request: ImageBuildRequest, params: Docker.ImageBuildOptions, deadline: BuildDeadline): Promise<string> {
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
    if (deadline.aborted) throw deadline.error(`building image ${request.imageName}`);
    if (contextError) throw this.buildError(request.imageName, deadline, transcript, contextError);
    if (transcript.failed) throw buildFailedError(transcript.failure(request.imageName));
    // A stream that ends without an error or an image id was cut off (engine restart, proxy timeout).
    if (!transcript.builtImage) {
      throw buildFailedError(transcript.failure(request.imageName, 'the engine ended the build without reporting an image'));
    }
    return transcript.builtImage;
  }

  /** Shapes a rejected build call or a broken progress stream. */
  private buildError(imageName: string, deadline: BuildDeadline, transcript: BuildTranscript, error: unknown): StowageError {
    if (StowageError.isInstance(error)) return error;
    if (deadline.aborted) return deadline.error(`building image ${imageName}`);
    if (isEngineUnreachable(error)) return engineUnavailable(this.engine, error);
    return buildFailedError(transcript.failure(imageName, engineMessage(error)), error);
  }
}

/** The host asked for an in-build push: a plan/host bug, since this builder declares `push: 'separate'`. */
function pushInBuild(imageName: string): StowageError {
  return new StowageError(`the local image builder cannot push ${imageName} as part of the build: it pushes in a separate step`, {
    code: 'CAPABILITY_MISSING',
    hint: "this builder's capabilities say `push: 'separate'`: plan a push step after the build",
  });
}

function noRegistry(imageName: string): StowageError {
  return new StowageError(`cannot push ${imageName}: the stack has no container registry`, {
    code: 'STACK_INVALID',
    hint: 'add a container_registry to the stack, or build without pushing',
  });
}
