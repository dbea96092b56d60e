import { z } from 'zod';
import { DockerSettingsSchema } from '../settings/DockerSettingsSchema.js';
import { IMAGE_REF } from '../dockerfile/dockerfileValues.js';

/** Keys of ZenML's PipelineRunConfiguration that Stowage accepts and ignores (one warning each). */
export const ZENML_RUN_CONFIG_KEYS = [
  'run_name',
  'enable_cache',
  'enable_artifact_metadata',
  'enable_artifact_visualization',
  'enable_step_logs',
  'enable_pipeline_logs',
  'schedule',
  'tags',
  'extra',
  'model',
  'model_version',
  'parameters',
  'retry',
  'failure_hook_source',
  'success_hook_source',
  'substitutions',
  'cache_policy',
  'environment',
  'secrets',
  'execution_mode',
  'log_store',
] as const;

/** Keys of ZenML's step configuration that Stowage accepts and ignores. */
export const ZENML_STEP_CONFIG_KEYS = [
  'enable_cache',
  'enable_artifact_metadata',
  'enable_artifact_visualization',
  'enable_step_logs',
  'step_operator',
  'experiment_tracker',
  'parameters',
  'extra',
  'failure_hook_source',
  'success_hook_source',
  'model',
  'retry',
  'outputs',
  'substitutions',
  'cache_policy',
  'environment',
  'secrets',
  'name',
  'runtime',
] as const;

const ZenmlKey = z.unknown().describe('ZenML run-configuration key: accepted and ignored by Stowage (with a warning).');

export const PipelineInfoSchema = z
  .object({
    name: z.string().min(1).optional().describe('Pipeline name, used in image tags. Default: the config folder name.'),
    source_root: z
      .string()
      .default('.')
      .describe('Folder whose files are the code put into images (relative to the config file).'),
    python_version: z
      .string()
      .regex(/^3\.\d+$/, 'expected a Python version like "3.11"')
      .optional()
      .describe('Python X.Y for the default parent image `python:<X.Y>-slim`. Default: the local python3.'),
    default_parent_image: z
      .string()
      .regex(IMAGE_REF, 'expected an image reference like `registry.example.com/team/python:3.11`')
      .optional()
      .describe('Parent image used when a step sets no `parent_image` (a stack may override it).'),
  })
  .strict()
  .describe('The pipeline these images are for.');

export const SettingsBlockSchema = z
  .object({ docker: DockerSettingsSchema.optional() })
  .catchall(z.unknown().describe('Other ZenML settings (resources, orchestrator, …): ignored with a warning.'))
  .describe('Settings by key; Stowage reads `docker`.');

export const StepConfigSchema = z
  .object({
    command: z
      .union([z.string(), z.array(z.string()).min(1)])
      .optional()
      .describe('Command the step container runs, e.g. `[python, -m, steps.train]`.'),
    settings: SettingsBlockSchema.optional(),
    ...Object.fromEntries(ZENML_STEP_CONFIG_KEYS.map((k) => [k, ZenmlKey.optional()])),
  })
  .strict()
  .describe('One pipeline step.');

/** A stack component: `flavor` plus the flavor's own config keys (checked by the plugin's schema). */
export const ComponentConfigSchema = z
  .object({ flavor: z.string().min(1).describe('Flavor of the component, e.g. `local`, `oci`, `aws-codebuild`.') })
  .catchall(z.unknown())
  .describe('A stack component.');

export const STACK_COMPONENT_KEYS = ['image_builder', 'container_registry', 'artifact_store', 'code_repository'] as const;

/** A registered code repository: a unique `name`, its `flavor`, and the flavor's own keys. */
export const CodeRepositoryEntrySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'expected a name of letters, digits, `.`, `_` and `-`')
      .describe('Name of the code repository (recorded with builds).'),
    flavor: z.string().min(1).describe('Flavor of the code repository, e.g. `github`, `gitlab`.'),
  })
  .catchall(z.unknown())
  .describe('A code repository the checkout may belong to.');
export type StackComponentKey = (typeof STACK_COMPONENT_KEYS)[number];

export type ComponentSchemas = Partial<Record<StackComponentKey | 'code_repositories', z.ZodType>>;

export function stackConfigSchema(components: ComponentSchemas = {}) {
  const c = (key: StackComponentKey) => components[key] ?? ComponentConfigSchema;
  return z
    .object({
      image_builder: c('image_builder').optional().describe('Builds images (default: local Docker).'),
      container_registry: c('container_registry').optional().describe('Registry images are pushed to (default: none).'),
      artifact_store: c('artifact_store').optional().describe('Stores build contexts and code archives (default: local folder).'),
      code_repository: c('code_repository').optional().describe('Moved: code repositories are registered per project under the top-level `code_repositories:`.'),
      default_parent_image: z
        .string()
        .regex(IMAGE_REF, 'expected an image reference like `registry.example.com/team/python:3.11`')
        .optional()
        .describe('Parent image for steps that set none.'),
    })
    .strict()
    .describe('A stack: the components images are built and stored with.');
}

export function projectConfigSchema(components?: ComponentSchemas) {
  return z
    .object({
      pipeline: PipelineInfoSchema.optional(),
      settings: SettingsBlockSchema.optional(),
      steps: z.record(z.string(), StepConfigSchema).optional().describe('Steps by name.'),
      build: z.string().min(1).optional().describe('A pipeline build to use: an id, or a path to a build YAML file.'),
      plugins: z.array(z.string().min(1)).default([]).describe('Plugin packages to load from the project node_modules.'),
      stacks: z.record(z.string(), stackConfigSchema(components)).optional().describe('Stacks by name.'),
      code_repositories: z
        .array(components?.code_repositories ?? CodeRepositoryEntrySchema)
        .optional()
        .describe('Code repositories of the project (ZenML registers them per project): a clean, pushed checkout of one is downloaded by the container at run time instead of baking the code into images.'),
      active_stack: z.string().min(1).optional().describe('Stack used when `--stack` is not given (default: `default`).'),
      ...Object.fromEntries(ZENML_RUN_CONFIG_KEYS.map((k) => [k, ZenmlKey.optional()])),
    })
    .strict()
    .describe('Stowage project config (stowage.yaml); ZenML run configs load unchanged.');
}

export const ProjectConfigSchema = projectConfigSchema();
export type ProjectConfigInput = z.input<typeof ProjectConfigSchema>;
export type StackConfigInput = z.input<ReturnType<typeof stackConfigSchema>>;
