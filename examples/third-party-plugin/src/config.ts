import { z } from 'zod';

export const DockerCliBuilderConfigSchema = z
  .object({
    docker_binary: z.string().min(1).default('docker').describe('The docker (or podman) CLI to run.'),
    extra_args: z.array(z.string()).default([]).describe('Extra arguments for `docker build`, e.g. ["--network=host"].'),
  })
  .strict();

export type DockerCliBuilderConfig = z.output<typeof DockerCliBuilderConfigSchema>;
