import { BUILD_CONFIG_KEYS, DOCKER_SETTINGS_KEYS, type DockerSettingsInput } from './DockerSettingsSchema.js';

type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type CamelKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };
type BuildConfigInput = NonNullable<DockerSettingsInput['build_config']>;

/** The camelCase spelling of DockerSettings used by the TypeScript API (`definePipeline`). */
export type DockerSettingsOptions = Omit<
  CamelKeys<DockerSettingsInput>,
  'buildConfig' | 'parentImageBuildConfig'
> & {
  buildConfig?: CamelKeys<BuildConfigInput>;
  parentImageBuildConfig?: CamelKeys<BuildConfigInput>;
};

export function toCamelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

const SETTINGS_BY_CAMEL = new Map(DOCKER_SETTINGS_KEYS.map((k) => [toCamelCase(k), k as string]));
const BUILD_CONFIG_BY_CAMEL = new Map(BUILD_CONFIG_KEYS.map((k) => [toCamelCase(k), k]));
const NESTED_BUILD_CONFIGS = new Set(['build_config', 'parent_image_build_config']);

/**
 * Renames camelCase keys to the schema's snake_case keys, only where the schema defines fields
 * (never inside `environment` or `build_options`, whose keys are user data). Unknown keys pass
 * through unchanged so that validation reports them with a suggestion.
 */
export function settingsToSnakeCase(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const snake = SETTINGS_BY_CAMEL.get(key) ?? key;
    out[snake] =
      NESTED_BUILD_CONFIGS.has(snake) && isPlainObject(value) ? renameKeys(value, BUILD_CONFIG_BY_CAMEL) : value;
  }
  return out;
}

function renameKeys(obj: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names.get(k) ?? k, v]));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
