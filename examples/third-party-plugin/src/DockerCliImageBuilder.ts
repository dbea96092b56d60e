import {
  StowageError,
  toStowageError,
  type ContainerRegistry,
  type DependencyHandle,
  type ImageBuilder,
  type ImageBuildRequest,
  type ImageBuildResult,
  type ImagePushRequest,
  type RegistryAuth,
} from '@stowage/plugin-api';
import { DockerCliBuilderOptionsSchema, type DockerCliBuilderConfig } from './config.js';
import { dockerBuildFlags } from './dockerBuildFlags.js';
import { pushTargetOf, withPushLogin, type PushTarget } from './pushLogin.js';
import { runDocker } from './runDocker.js';

const DIGEST = /\bdigest: (sha256:[0-9a-f]{64})\b/;

/** Builds by piping the context tar into `docker build -`; pushes with `docker push` in a separate step. */
export class DockerCliImageBuilder implements ImageBuilder {
  constructor(
    private readonly config: DockerCliBuilderConfig,
    private readonly registry?: DependencyHandle<ContainerRegistry>,
  ) {}

  async build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    const { imageName } = request;
    if (request.push) {
      throw new StowageError(`the docker-cli builder cannot push ${imageName} while building`, { code: 'CAPABILITY_MISSING', hint: "its push is 'separate'" });
    }
    const options = DockerCliBuilderOptionsSchema.safeParse(request.builderOptions);
    if (!options.success) {
      throw new StowageError(`invalid docker-cli builder options: ${options.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`, {
        code: 'SETTINGS_INVALID',
      });
    }
    const args = ['build', '-t', imageName, ...dockerBuildFlags(request.options), ...this.config.extra_args, ...(options.data.extra_args ?? []), '-'];
    const what = `building image ${imageName}`;
    const onLine = (line: string) => request.onEvent({ type: 'log', line });
    const { exitCode, tail } = await runDocker(this.config.docker_binary, args, { what, stdin: request.context.open(), signal: request.signal, onLine });
    if (exitCode !== 0) throw new StowageError(`${what} failed (docker exited with ${exitCode})`, { code: 'BUILD_FAILED', details: tail });
    return { imageName };
  }

  async push(request: ImagePushRequest): Promise<{ digest: string }> {
    const { imageName, signal } = request;
    const target = pushTargetOf(imageName);
    const auth = await this.pushAuth(imageName, target);
    const lines: string[] = [];
    const onLine = (line: string) => {
      lines.push(line);
      request.onEvent({ type: 'push', message: line });
    };
    const what = `pushing ${imageName}`;
    const run = (env: Record<string, string>) => runDocker(this.config.docker_binary, ['push', imageName], { what, env, signal, onLine });
    const { exitCode, tail } = await withPushLogin(auth, target, run);
    if (exitCode !== 0) throw new StowageError(`${what} failed (docker exited with ${exitCode})`, { code: 'REGISTRY_FAILED', details: tail });
    // `docker push` ends with `<tag>: digest: sha256:… size: …`: the manifest the registry stored.
    const digest = lines.map((line) => DIGEST.exec(line)?.[1]).findLast(Boolean);
    if (!digest) throw new StowageError(`${what}: docker reported no digest`, { code: 'REGISTRY_FAILED', details: tail });
    return { digest };
  }

  /** The stack registry's push credentials, asked right before pushing (tokens expire). */
  private async pushAuth(imageName: string, target: PushTarget): Promise<RegistryAuth> {
    if (!this.registry) {
      throw new StowageError(`cannot push ${imageName}: the stack has no container registry`, { code: 'STACK_INVALID', hint: 'add a container_registry to the stack' });
    }
    try {
      return await (await this.registry.get()).auth({ repository: target.repository, actions: ['pull', 'push'] });
    } catch (error) {
      throw toStowageError(error, { code: 'REGISTRY_FAILED', message: `asking the container registry for push credentials for ${target.repository} failed` });
    }
  }
}
