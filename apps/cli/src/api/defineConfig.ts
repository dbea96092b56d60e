import type { z } from 'zod';
import type { Component, StowageConfig } from '@stowage/core';

/**
 * The default export of `stowage.config.ts`: returns the config as given, typed. Component
 * configs accept any keys here (each plugin's schema checks them on load); type one with
 * `component()` for completion and checking in the editor.
 */
export function defineConfig<const C extends StowageConfig>(config: C): C {
  return config;
}

/**
 * A stack component typed by its flavor's zod schema (plugins export theirs), e.g.
 * `component(EcrContainerRegistryConfigSchema, 'aws-ecr', { uri: '…' })`. The schema is used
 * for its type only: the plugin validates the config when the stack is used.
 */
export function component<S extends z.ZodType, const F extends string>(_schema: S, flavor: F, config: z.input<S>): Component<S, F> {
  return { ...(config as object), flavor } as Component<S, F>;
}
