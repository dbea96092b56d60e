import { parseDockerPyBuildOptions } from '../src/resolve/dockerPyBuildOptions.js';
import type { FieldOrigin } from '../src/model/origin.js';
import type { ResolvedStep } from '../src/model/resolved.js';
import { DockerSettingsSchema, type ResolvedDockerSettings } from '../src/settings/DockerSettingsSchema.js';
import type { DockerSettingsInput } from '../src/settings/DockerSettingsSchema.js';

/** Resolved settings from a partial snake_case input, defaults applied. */
export function settings(input: DockerSettingsInput = {}): ResolvedDockerSettings {
  return DockerSettingsSchema.parse(input) as ResolvedDockerSettings;
}

/**
 * A resolved step as the resolve stage would give it, with origins in `stowage.yaml` (line 1) at
 * the step's own key paths; `origins` replaces the origin of the top-level fields it names.
 */
export function resolvedStep(name: string, s: ResolvedDockerSettings, origins: Readonly<Record<string, FieldOrigin>> = {}): ResolvedStep {
  const base = name === 'pipeline' ? 'settings.docker' : `steps.${name}.settings.docker`;
  const level = name === 'pipeline' ? 'pipeline' : `step ${name}`;
  const of = (field: string, ...sub: (string | number)[]): FieldOrigin => {
    const set = origins[field];
    if (set) return sub.length ? { ...set, keyPath: [set.keyPath, ...sub].join('.') } : set;
    return { file: 'stowage.yaml', line: 1, keyPath: [base, field, ...sub].join('.'), level };
  };
  return {
    name,
    settings: s,
    buildOptions: {
      generated: parseDockerPyBuildOptions(s.build_config?.build_options ?? {}).options,
      dockerfile: parseDockerPyBuildOptions(s.parent_image_build_config?.build_options ?? {}).options,
    },
    origins: { of },
  };
}
