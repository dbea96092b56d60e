import type { CustomEnvValue } from './config.js';

/**
 * A CodeBuild environment variable override. Only PLAINTEXT carries its value, and CodeBuild shows
 * it to whoever may read the build; PARAMETER_STORE and SECRETS_MANAGER name where CodeBuild reads
 * the value with the project's service role, so it never leaves AWS.
 */
export interface BuildVariable {
  name: string;
  value: string;
  type: 'PLAINTEXT' | 'PARAMETER_STORE' | 'SECRETS_MANAGER';
}

/** One `custom_env_vars` entry as the build variable CodeBuild gets. */
export function customVariable(name: string, value: CustomEnvValue): BuildVariable {
  if (typeof value === 'string') return { name, value, type: 'PLAINTEXT' };
  if ('parameter_store' in value) return { name, value: value.parameter_store, type: 'PARAMETER_STORE' };
  return { name, value: value.secrets_manager, type: 'SECRETS_MANAGER' };
}

/** `custom_env_vars` as CodeBuild's `environmentVariablesOverride` entries, sorted by name. */
export function customVariables(vars: Readonly<Record<string, CustomEnvValue>>): BuildVariable[] {
  return Object.entries(vars)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => customVariable(name, value));
}
