import { spawn } from 'node:child_process';
import { StowageError, type ImageBuilder, type ImageBuildRequest, type ImageBuildResult } from '@stowage/core';
import type { DockerCliBuilderConfig } from './config.js';

/** Turns docker-py style build options into `docker build` flags (the subset this example supports). */
export function buildFlags(options: Readonly<Record<string, unknown>>): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'buildargs' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) flags.push('--build-arg', `${k}=${String(v)}`);
    } else if (key === 'labels' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) flags.push('--label', `${k}=${String(v)}`);
    } else if (key === 'network_mode' && typeof value === 'string') flags.push(`--network=${value}`);
    else if (key === 'target' && typeof value === 'string') flags.push('--target', value);
    else if (key === 'platform' && typeof value === 'string') flags.push('--platform', value);
    else if (key === 'pull' && value === true) flags.push('--pull');
    else if (key === 'nocache' && value === true) flags.push('--no-cache');
    else throw new StowageError(`build option "${key}" is not supported by the docker-cli builder`, { code: 'SETTINGS_INVALID' });
  }
  return flags;
}

/** Builds by piping the context tar into `docker build -`. */
export class DockerCliImageBuilder implements ImageBuilder {
  readonly capabilities = { remote: false, push: false, platforms: [], secrets: false, cacheMounts: false };

  constructor(private readonly config: DockerCliBuilderConfig) {}

  build(request: ImageBuildRequest): Promise<ImageBuildResult> {
    if (request.registry) {
      return Promise.reject(new StowageError('the docker-cli builder cannot push; use a stack without a registry', { code: 'STACK_INVALID' }));
    }
    const args = ['build', '-t', request.imageName, ...buildFlags(request.options), ...this.config.extra_args, '-'];
    return new Promise((resolve, reject) => {
      const child = spawn(this.config.docker_binary, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: request.signal });
      const tail: string[] = [];
      const onLine = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          tail.push(line);
          if (tail.length > 20) tail.shift();
          request.onEvent({ type: 'log', line });
        }
      };
      child.stdout.on('data', onLine);
      child.stderr.on('data', onLine);
      child.on('error', (cause) =>
        reject(new StowageError(`could not run ${this.config.docker_binary}: ${cause.message}`, { code: 'ENGINE_UNAVAILABLE', cause })),
      );
      child.on('close', (code) => {
        if (code === 0) resolve({ imageName: request.imageName });
        else reject(new StowageError(`docker build of ${request.imageName} failed (exit ${code})`, { code: 'BUILD_FAILED', details: tail }));
      });
      request.context.open().pipe(child.stdin);
    });
  }
}
