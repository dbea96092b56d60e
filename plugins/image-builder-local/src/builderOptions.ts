import { z } from 'zod';
import { StowageError, type Finding } from '@stowage/plugin-api';

/**
 * `build_config.builder_options.local`: Engine API build parameters that BuildOptions (docker-py's
 * vocabulary) cannot say. Only the CPU bandwidth limits of RUN containers: docker-py's
 * `container_limits` has shares and a CPU set but no quota, and the Engine API has nothing else
 * that fits a builder whose context, tag, Dockerfile and push Stowage controls.
 */
export const LocalBuilderOptionsSchema = z
  .object({
    cpu_period: z
      .number('must be a number of microseconds')
      .int('must be a whole number of microseconds')
      .min(1000, 'must be at least 1000 (1 ms)')
      .max(1_000_000, 'must be at most 1000000 (1 s)')
      .optional()
      .describe('CFS scheduler period of RUN containers in microseconds, 1000 to 1000000 (Engine API `cpuperiod`; default 100000).'),
    cpu_quota: z
      .number('must be a number of microseconds')
      .int('must be a whole number of microseconds')
      .min(1000, 'must be at least 1000 (1 ms)')
      .optional()
      .describe('CPU time in microseconds a RUN container may use per cpu_period, at least 1000 (Engine API `cpuquota`): cpu_quota / cpu_period is the number of CPUs.'),
  })
  .strict();

export type LocalBuilderOptions = z.output<typeof LocalBuilderOptionsSchema>;

const KEYS = Object.keys(LocalBuilderOptionsSchema.shape);

/** One line per problem, each naming its key; unknown keys (typos, most likely) first. */
function problemsOf(error: z.ZodError): string[] {
  const unknown = error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => `unknown builder option "${key}"`) : []));
  const invalid = error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? [] : [`builder option "${issue.path.join('.')}" ${issue.message}`]));
  return [...unknown, ...invalid];
}

const HINT = `the local image builder accepts ${KEYS.join(', ')} in builder_options.local (see its README)`;

/** The builder options of one build, or SETTINGS_INVALID naming each bad key. */
export function parseBuilderOptions(raw: Readonly<Record<string, unknown>>): LocalBuilderOptions {
  const parsed = LocalBuilderOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const [first, ...rest] = problemsOf(parsed.error);
  throw new StowageError(first ?? 'invalid builder options', { code: 'SETTINGS_INVALID', details: rest, hint: HINT });
}

/** The same checks at plan time, as findings (the flavor's `check`). */
export function builderOptionFindings(raw: Readonly<Record<string, unknown>>): Finding[] {
  const parsed = LocalBuilderOptionsSchema.safeParse(raw);
  if (parsed.success) return [];
  return problemsOf(parsed.error).map((message) => ({ severity: 'error', message, hint: HINT }));
}
