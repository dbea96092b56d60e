import { z } from 'zod';

/** `docker build` arguments Stowage decides itself: the tag, the Dockerfile, where the image goes. */
const MANAGED_ARGS = /^(-t|--tag|-f|--file|-o|--output|--push|--load)(=|$)/;

/** Extra `docker build` arguments, minus those Stowage decides (a config error, or a plan-time finding). */
export const extraArgs = (description: string) =>
  z
    .array(z.string())
    .superRefine((args, ctx) => {
      for (const [i, arg] of args.entries()) {
        if (MANAGED_ARGS.test(arg)) ctx.addIssue({ code: 'custom', path: [i], message: `"${arg}" is set by Stowage (tag, Dockerfile and push are its own)` });
      }
    })
    .describe(description);

export const DockerCliBuilderConfigSchema = z
  .object({
    docker_binary: z.string().min(1).default('docker').describe('The docker (or podman) CLI to run.'),
    extra_args: extraArgs('Extra arguments for every `docker build`, e.g. ["--network=host"].').default([]),
  })
  .strict();

export type DockerCliBuilderConfig = z.output<typeof DockerCliBuilderConfigSchema>;

/** `build_config.builder_options.docker-cli`: what one build adds. */
export const DockerCliBuilderOptionsSchema = z
  .object({ extra_args: extraArgs('Extra arguments for this build, e.g. ["--secret", "id=pip,env=PIP_TOKEN"].').optional() })
  .strict();

export type DockerCliBuilderOptions = z.output<typeof DockerCliBuilderOptionsSchema>;
