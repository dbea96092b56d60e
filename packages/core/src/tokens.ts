import type { InjectionToken } from 'tsyringe';
import type { ProjectConfig } from './config/loadProjectConfig.js';
import type { Lazy } from './plugins/Lazy.js';
import type { ArtifactStore, CodeRepository, ContainerRegistry, ImageBuilder } from './plugins/contracts.js';
import type { PluginRegistry } from './plugins/PluginRegistry.js';
import type { ProcessRunner } from './process/ProcessRunner.js';
import type { ExporterSet } from './requirements/ExporterSet.js';
import type { IntegrationCatalog } from './requirements/IntegrationCatalog.js';
import type { ComposedStack } from './stack/composeStack.js';
import type { PlanStack } from './plan/types.js';
import type { BuildStore } from './builds/BuildStore.js';
import type { Redactor } from './settings/Redactor.js';

/**
 * Typed DI tokens, declared once. Every constructor parameter is `@inject(TOKENS.X)`. Optional
 * components are `Lazy<T | null>` (tsyringe cannot hold a null value).
 */
export const TOKENS = {
  ProcessRunner: Symbol.for('stowage.ProcessRunner') as InjectionToken<ProcessRunner>,
  PluginRegistry: Symbol.for('stowage.PluginRegistry') as InjectionToken<PluginRegistry>,
  Exporters: Symbol.for('stowage.Exporters') as InjectionToken<ExporterSet>,
  Integrations: Symbol.for('stowage.Integrations') as InjectionToken<IntegrationCatalog>,
  ProjectConfig: Symbol.for('stowage.ProjectConfig') as InjectionToken<ProjectConfig>,
  Redactor: Symbol.for('stowage.Redactor') as InjectionToken<Redactor>,
  BuildStore: Symbol.for('stowage.BuildStore') as InjectionToken<BuildStore>,
  Stack: Symbol.for('stowage.Stack') as InjectionToken<ComposedStack>,
  PlanStack: Symbol.for('stowage.PlanStack') as InjectionToken<PlanStack>,
  ImageBuilder: Symbol.for('stowage.ImageBuilder') as InjectionToken<Lazy<ImageBuilder>>,
  ContainerRegistry: Symbol.for('stowage.ContainerRegistry') as InjectionToken<Lazy<ContainerRegistry | null>>,
  ArtifactStore: Symbol.for('stowage.ArtifactStore') as InjectionToken<Lazy<ArtifactStore | null>>,
  CodeRepository: Symbol.for('stowage.CodeRepository') as InjectionToken<Lazy<CodeRepository | null>>,
  /** Version of the tool, recorded with builds. */
  ToolVersion: Symbol.for('stowage.ToolVersion') as InjectionToken<string>,
} as const;
