import { parse } from 'yaml';
import { AwsServiceError } from './AwsJsonServer.js';
import type { EnvironmentVariable, VariableType } from './resolveVariables.js';

/** The phases a buildspec runs, in CodeBuild's order, with the phase type BatchGetBuilds names. */
export const BUILDSPEC_PHASES = [
  ['install', 'INSTALL'],
  ['pre_build', 'PRE_BUILD'],
  ['build', 'BUILD'],
  ['post_build', 'POST_BUILD'],
] as const;

export type PhaseType = (typeof BUILDSPEC_PHASES)[number][1];

export interface Buildspec {
  /** `env.variables` (PLAINTEXT), `env.parameter-store` (names) and `env.secrets-manager` (references), in that order. */
  variables: EnvironmentVariable[];
  phases: Partial<Record<PhaseType, string[]>>;
}

function invalid(why: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', `Invalid buildspec: ${why}`);
}

const ENV_SECTIONS: readonly (readonly [string, VariableType])[] = [
  ['variables', 'PLAINTEXT'],
  ['parameter-store', 'PARAMETER_STORE'],
  ['secrets-manager', 'SECRETS_MANAGER'],
];

/** Parses a buildspec version 0.2 (the env sections and each phase's commands). */
export function parseBuildspec(text: string): Buildspec {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('expected a YAML mapping');
  const spec = doc as { version?: unknown; env?: Record<string, unknown>; phases?: Record<string, { commands?: unknown } | null> };
  if (String(spec.version) !== '0.2') throw invalid(`version ${String(spec.version)} is not supported (the emulator runs 0.2)`);
  const phases: Buildspec['phases'] = {};
  for (const [key, type] of BUILDSPEC_PHASES) {
    const commands = spec.phases?.[key]?.commands;
    if (commands === undefined) continue;
    if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string')) throw invalid(`phases.${key}.commands must be a list of strings`);
    phases[type] = commands;
  }
  const variables = ENV_SECTIONS.flatMap(([key, type]) =>
    Object.entries((spec.env?.[key] as Record<string, unknown> | undefined) ?? {}).map(([name, value]) => ({ name, value: String(value), type })),
  );
  return { variables, phases };
}
