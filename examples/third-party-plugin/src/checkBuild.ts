import type { BuildCheck, Finding } from '@stowage/plugin-api';
import { DockerCliBuilderOptionsSchema, type DockerCliBuilderConfig } from './config.js';

/**
 * Plan-time findings about one planned build (pure): `stowage plan` shows them before anything
 * runs. Here: the build's `builder_options.docker-cli`, checked with the same schema `build` uses.
 */
export function checkBuild(_config: DockerCliBuilderConfig, build: BuildCheck): Finding[] {
  const parsed = DockerCliBuilderOptionsSchema.safeParse(build.builderOptions);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    severity: 'error',
    message: `builder option ${issue.path.join('.') || '(options)'}: ${issue.message}`,
    hint: 'the docker-cli builder accepts `extra_args` (a list of `docker build` arguments)',
  }));
}
