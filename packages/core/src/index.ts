import 'reflect-metadata';
// @stowage/core public API. Everything a CLI, a plugin or a test kit may use is exported here;
// there are no deep imports across packages.

export { StowageError, toStowageError, type StowageErrorCode, type StowageErrorOptions } from '@stowage/plugin-api';
export { WarningList, formatWarning, type Warning } from '@stowage/plugin-api';
export { TOKENS } from './tokens.js';

// settings
export {
  DockerSettingsSchema,
  DockerBuildConfigSchema,
  DOCKER_SETTINGS_KEYS,
  type DockerSettings,
  type DockerSettingsInput,
  type ResolvedDockerSettings,
} from './settings/DockerSettingsSchema.js';
export { settingsToSnakeCase, toCamelCase, type DockerSettingsOptions } from './settings/camelCase.js';
export { deepMerge } from './settings/mergeSettings.js';
export { substituteEnv, looksLikeCredential } from './settings/substituteEnv.js';
export { normalizeSettingsLevel, type SettingsLevel } from './settings/normalizeSettings.js';
export { resolveSettings } from './settings/resolveSettings.js';
export { resolveStepSettings, type ResolvedStep, type ResolvedProjectSettings } from './settings/resolveStepSettings.js';
export { Redactor } from './settings/Redactor.js';
export { suggestClosest } from './settings/suggestClosest.js';

// config
export { formatKeyPath, type ConfigIssue, type ConfigSource, type KeyPath } from './config/ConfigIssue.js';
export {
  loadProjectConfig,
  projectFromObject,
  findConfigFile,
  CONFIG_FILE_NAMES,
  type ProjectConfig,
  type StepDefinition,
  type StackEntry,
  type LoadProjectOptions,
} from './config/loadProjectConfig.js';
export {
  definePipeline,
  projectFromDefinition,
  type PipelineDefinition,
  type PipelineOptions,
  type WithOptions,
  type StepOptions,
} from './config/definePipeline.js';
export {
  ProjectConfigSchema,
  projectConfigSchema,
  stackConfigSchema,
  PipelineInfoSchema,
  StepConfigSchema,
  STACK_COMPONENT_KEYS,
  ZENML_RUN_CONFIG_KEYS,
  ZENML_STEP_CONFIG_KEYS,
} from './config/ProjectConfigSchema.js';
export { configJsonSchema } from './config/configJsonSchema.js';

// plugins
export * from './plugins/contracts.js';
export {
  definePlugin,
  defineFlavor,
  isPlugin,
  secret,
  type PluginDefinition,
  type FlavorDefinition,
  type FlavorContext,
  type FlavorCapabilities,
  type FlavorRequirements,
  type StackRequirements,
  type ExporterDefinition,
  type ExporterContext,
  type StowagePlugin,
  type StowageFlavor,
  type ComponentByKind,
} from './plugins/definePlugin.js';
export { PluginRegistry, type LoadedPlugin } from './plugins/PluginRegistry.js';
export { loadPlugins, type BuiltinPlugin, type LoadPluginsOptions } from './plugins/loadPlugins.js';
export { lazy, type Lazy } from './plugins/Lazy.js';

// stack
export { DependencyContainer } from './stack/DependencyContainer.js';
export { composeStack, selectStackName, DEFAULT_STACK_CONFIG, type ComposedStack, type ComposedComponent } from './stack/composeStack.js';
export { createRootContainer, openStack, type OpenedStack, type StowageRootOptions } from './stack/openStack.js';

// process
export { NodeProcessRunner, describeCommand, type ProcessRunner, type ProcessRequest, type ProcessResult } from './process/ProcessRunner.js';
export { selectPythonInterpreter, STOWAGE_PYTHON_ENV, type PythonInterpreter } from './process/selectPythonInterpreter.js';

// requirements
export { ExporterSet, DEFAULT_PYPROJECT_EXPORTERS } from './requirements/ExporterSet.js';
export { IntegrationCatalog } from './requirements/IntegrationCatalog.js';
export { BUILTIN_INTEGRATIONS } from './requirements/builtinIntegrations.js';
export { gatherRequirementFiles, requirementFileName } from './requirements/gatherRequirementFiles.js';
export { parseRequirementLines, filterLocalRequirements, type RequirementLine } from './requirements/parseRequirementLines.js';

// dockerfile
export { generateDockerfile, INSTALLER_DEFAULT_ARGS, IMAGE_WORKDIR, type DockerfileSpec } from './dockerfile/DockerfileGenerator.js';

// context
export * from './context/index.js';
export { STOWAGE_STATE_DIR } from './context/selectSourceFiles.js';

// plan
export * from './plan/types.js';
export { planBuild, settingsKey, PIPELINE_IMAGE_KEY } from './plan/planBuild.js';
export { planImage, buildTriggers } from './plan/planImage.js';
export { decideCodeStrategy } from './plan/codeStrategy.js';
export { sanitizeTag, imageName, defaultTag, DEFAULT_REPOSITORY } from './plan/imageNaming.js';
export { canonicalJson, digestOf, sha256 } from './plan/checksum.js';
export { explainRebuild } from './plan/explainRebuild.js';
export { gatherPlanInputs, previousImagesOf } from './plan/gatherPlanInputs.js';
export { Planner, type PlanOptions } from './plan/Planner.js';

// builds
export { BuildStore } from './builds/BuildStore.js';
export { PipelineBuildSchema, type PipelineBuild, type BuildImage } from './builds/PipelineBuild.js';

// engine
export { BuildEngine, repositoryOf, type EngineEvent, type ExecuteOptions, type ExecuteResult } from './engine/BuildEngine.js';
export { openBuildContext } from './engine/openBuildContext.js';
export { loadGivenBuild, verifyGivenBuild, planChecksum } from './builds/useGivenBuild.js';
export { FILTER_FIELDS, FILTER_OPS, parseFilter, matchesFilter, type BuildFilter, type FilterOp } from './builds/buildFilters.js';
