import { z } from 'zod';
import type { PluginRegistry } from '../plugins/PluginRegistry.js';
import { KIND_OF } from '../model/componentKinds.js';
import { CodeRepositoryEntrySchema, ComponentConfigSchema, projectConfigSchema, STACK_COMPONENT_KEYS, type ComponentSchemas } from './ProjectConfigSchema.js';

function oneOf(variants: z.ZodObject[]): z.ZodType | undefined {
  if (variants.length === 1) return variants[0];
  if (variants.length > 1) return z.discriminatedUnion('flavor', variants as unknown as [z.ZodObject, z.ZodObject]);
  return undefined;
}

/**
 * JSON Schema (draft 2020-12) of stowage.yaml, generated from the zod schemas: core's keys plus
 * every loaded plugin's component config, so `# yaml-language-server: $schema=…` completes both.
 */
export function configJsonSchema(plugins?: PluginRegistry): Record<string, unknown> {
  const components: ComponentSchemas = {};
  if (plugins) {
    for (const key of STACK_COMPONENT_KEYS) {
      const variants = plugins.flavorsOf(KIND_OF[key]).map(({ flavor, plugin }) => {
        const shape = (flavor.config as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
        return z
          .object({ flavor: z.literal(flavor.flavor).describe(`${flavor.description ?? flavor.flavor} (${plugin})`), ...shape })
          .strict();
      });
      components[key] = oneOf(variants) ?? ComponentConfigSchema;
    }
    const repositories = plugins.flavorsOf('code-repository').map(({ flavor, plugin }) => {
      const shape = (flavor.config as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
      return CodeRepositoryEntrySchema.extend({ flavor: z.literal(flavor.flavor).describe(`${flavor.description ?? flavor.flavor} (${plugin})`), ...shape }).strict();
    });
    components.code_repositories = oneOf(repositories) ?? CodeRepositoryEntrySchema;
  }
  const schema = z.toJSONSchema(projectConfigSchema(components), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Stowage project config (stowage.yaml)' };
}
