import type { InjectionToken } from 'tsyringe';
import type { ProcessRunner } from '@stowage/plugin-api';
import type { ProjectConfig } from './config/loadProjectConfig.js';
import type { PlanStack } from './model/plan.js';
import type { PluginRegistry } from './plugins/PluginRegistry.js';
import type { BuildStore } from './record/BuildStore.js';
import type { ExporterSet } from './requirements/ExporterSet.js';
import type { IntegrationCatalog } from './requirements/IntegrationCatalog.js';
import type { Redactor } from './settings/Redactor.js';
import type { ComposedStack } from './stack/ComposedStack.js';
import type { StackComponents } from './stack/openStack.js';

/** Typed DI tokens, declared once. Every constructor parameter is `@inject(TOKENS.X)`. */
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
  /** The stack's components, each created on first use. */
  StackComponents: Symbol.for('stowage.StackComponents') as InjectionToken<StackComponents>,
  /** Version of the tool, recorded with builds. */
  ToolVersion: Symbol.for('stowage.ToolVersion') as InjectionToken<string>,
} as const;
