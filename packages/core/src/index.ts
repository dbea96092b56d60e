import 'reflect-metadata';
// @stowage/core: the runtime. Its exports are what a user of the TS API, the CLI and the test kit
// need; plugin authors depend on @stowage/plugin-api alone.

// the composition root
export { createStowage, Stowage, type CreateStowageOptions, type PlanOptions, type BuildResult, type LaunchOptions } from './createStowage.js';
export type { LaunchCommand } from './execute/launchCommand.js';
export { planSteps, type ExecuteOptions } from './execute/executePlan.js';
export { STEP_EXECUTORS } from './execute/stepExecutors.js';
export type { EngineEvent, ImageResult, StepExecutor, StepExecutors } from './execute/ExecutionContext.js';
export type { BuiltinPlugin } from './plugins/loadPlugins.js';
export type { PluginRegistry, LoadedPlugin } from './plugins/PluginRegistry.js';
export type { OpenedStack, StackComponents } from './stack/openStack.js';
export type { ComposedStack, ComposedComponent } from './stack/ComposedStack.js';
export { selectStackName, DEFAULT_STACK_CONFIG } from './stack/composeStack.js';
export { DependencyContainer } from './stack/DependencyContainer.js';
export { TOKENS } from './tokens.js';

// project config and settings
export { loadProjectConfig, projectFromObject, findConfigFile, CONFIG_FILE_NAMES, type ProjectConfig } from './config/loadProjectConfig.js';
export { definePipeline, projectFromDefinition, type PipelineDefinition, type PipelineOptions, type StepOptions, type PipelineSettingsOptions } from './config/definePipeline.js';
export type { StowageConfig, StackOptions, Component, AnyComponent, PipelineInfoOptions, CodeRepositoryOptions } from './config/StowageConfig.js';
export { CODE_CONFIG_FILE_NAMES } from './config/loadCodeConfig.js';
export { projectFromConfig, type ProjectFromConfigOptions } from './config/projectFromConfig.js';
export type { DockerSettingsOptions } from './settings/camelCase.js';
export { configJsonSchema } from './config/configJsonSchema.js';
export {
  ProjectConfigSchema,
  stackConfigSchema,
  PipelineInfoSchema,
  StepConfigSchema,
  ZENML_STEP_CONFIG_KEYS,
} from './config/ProjectConfigSchema.js';
export { DockerSettingsSchema, DockerBuildConfigSchema, type DockerSettings, type DockerSettingsInput } from './settings/DockerSettingsSchema.js';
export { Redactor } from './settings/Redactor.js';
export { suggestClosest } from './settings/suggestClosest.js';
export { STOWAGE_STATE_DIR } from './model/stateDir.js';

// the plan and the records
export type * from './model/plan.js';
export type { FieldOrigin } from './model/origin.js';
export { BuildStore, type StoreListing } from './record/BuildStore.js';
export { PipelineBuildSchema, type PipelineBuild, type BuildImage, type LaunchSpec } from './model/PipelineBuild.js';
export { FILTER_FIELDS, parseFilter, matchesFilter, type BuildFilter } from './record/buildFilters.js';

// processes and contexts (the test kit and benchmarks)
export { NodeProcessRunner, describeCommand } from './process/ProcessRunner.js';
export { selectContextFiles, createContextArchive, digestContext } from './context/index.js';

// errors and findings come from the plugin API
export { StowageError, formatWarning, type Warning } from '@stowage/plugin-api';
