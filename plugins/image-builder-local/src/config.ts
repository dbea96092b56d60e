import { z } from 'zod';

/** Engine address schemes dockerode (docker-modem) can dial. */
export const DOCKER_HOST_SCHEMES = ['unix', 'npipe', 'tcp', 'http', 'https', 'ssh'] as const;

const dockerHostPattern = new RegExp(`^(${DOCKER_HOST_SCHEMES.join('|')})://`);

export const LocalImageBuilderConfigSchema = z
  .object({
    docker_host: z
      .string()
      .regex(dockerHostPattern, `must start with one of ${DOCKER_HOST_SCHEMES.map((s) => `${s}://`).join(', ')}`)
      .optional()
      .describe(
        'Docker engine address, e.g. unix:///var/run/docker.sock or tcp://10.0.0.5:2375 (default: the DOCKER_HOST environment variable, else unix:///var/run/docker.sock).',
      ),
    platform: z
      .string()
      .min(1)
      .optional()
      .describe('Platform to build for when a build does not choose one, e.g. linux/amd64 (default: the engine\'s own).'),
    network_mode: z
      .string()
      .min(1)
      .optional()
      .describe('Network for RUN steps when a build does not choose one, e.g. host (default: the engine\'s default bridge).'),
    buildkit: z
      .union([z.boolean(), z.literal('auto')])
      .default('auto')
      .describe(
        "Build with BuildKit (Engine API version 2) or the classic builder. auto (default): BuildKit, which is faster cached and uncached (pnpm bench), except for a build whose Dockerfile pulls a parent from the stack registry with a login (the classic builder sends that login to that registry alone) or that sets options BuildKit ignores (memory, cpu limits, squash). true also enables RUN --mount=type=cache (capability cacheMounts).",
      ),
    timeout_seconds: z
      .number()
      .positive()
      // Node timers hold at most 2^31-1 ms; a longer one overflows and fires at once.
      .max(2_147_483, 'must be at most 2147483 (about 24 days): Node cannot wait longer')
      .optional()
      .describe('Give up on a build or push that takes longer than this many seconds, at most 2147483 (default: no limit).'),
  })
  .strict();

export type LocalImageBuilderConfig = z.output<typeof LocalImageBuilderConfigSchema>;
