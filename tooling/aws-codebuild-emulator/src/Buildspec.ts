import { parse } from 'yaml';
import { AwsServiceError } from './AwsJsonServer.js';

/** The phases a buildspec runs, in CodeBuild's order, with the phase type BatchGetBuilds names. */
export const BUILDSPEC_PHASES = [
  ['install', 'INSTALL'],
  ['pre_build', 'PRE_BUILD'],
  ['build', 'BUILD'],
  ['post_build', 'POST_BUILD'],
] as const;

export type PhaseType = (typeof BUILDSPEC_PHASES)[number][1];

export interface Buildspec {
  variables: Record<string, string>;
  phases: Partial<Record<PhaseType, string[]>>;
}

function invalid(why: string): AwsServiceError {
  return new AwsServiceError('InvalidInputException', `Invalid buildspec: ${why}`);
}

/** Parses a buildspec version 0.2 (env.variables and each phase's commands). */
export function parseBuildspec(text: string): Buildspec {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('expected a YAML mapping');
  const spec = doc as { version?: unknown; env?: { variables?: unknown }; phases?: Record<string, { commands?: unknown } | null> };
  if (String(spec.version) !== '0.2') throw invalid(`version ${String(spec.version)} is not supported (the emulator runs 0.2)`);
  const phases: Buildspec['phases'] = {};
  for (const [key, type] of BUILDSPEC_PHASES) {
    const commands = spec.phases?.[key]?.commands;
    if (commands === undefined) continue;
    if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string')) throw invalid(`phases.${key}.commands must be a list of strings`);
    phases[type] = commands;
  }
  const variables = Object.fromEntries(Object.entries((spec.env?.variables as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
  return { variables, phases };
}
