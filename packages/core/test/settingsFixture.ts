import { DockerSettingsSchema, type ResolvedDockerSettings } from '../src/settings/DockerSettingsSchema.js';
import type { DockerSettingsInput } from '../src/settings/DockerSettingsSchema.js';

/** Resolved settings from a partial snake_case input, defaults applied. */
export function settings(input: DockerSettingsInput = {}): ResolvedDockerSettings {
  return DockerSettingsSchema.parse(input) as ResolvedDockerSettings;
}
