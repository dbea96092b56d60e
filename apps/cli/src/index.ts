// The TypeScript API: one call per command (`plan`, `build`, `listBuilds`) with the CLI's
// built-in plugins, and `defineConfig` for stowage.config.ts. The CLI itself is `runCli`.
export { plan, build, listBuilds, type ProjectOptions, type PlanApiOptions, type BuildApiOptions, type ListBuildsOptions } from './api/stowageApi.js';
export { defineConfig, component } from './api/defineConfig.js';
export { definePipeline, StowageError } from '@stowage/core';
export type {
  StowageConfig,
  StackOptions,
  Component,
  PipelineDefinition,
  PipelineOptions,
  DockerSettingsOptions,
  BuildPlan,
  BuildResult,
  PipelineBuild,
  EngineEvent,
  BuiltinPlugin,
} from '@stowage/core';
export { runCli } from './runCli.js';
export { createProgram, type CommandContext } from './program.js';
export { processIO, type CliIO } from './CliIO.js';
export { builtinPlugins, cliVersion } from './builtinPlugins.js';
