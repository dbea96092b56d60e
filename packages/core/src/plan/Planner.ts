import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { BuildStore } from '../builds/BuildStore.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { type WarningList } from '@stowage/plugin-api';
import type { Lazy } from '../plugins/Lazy.js';
import type { CodeRepository, ContainerRegistry, ImageBuilder, ImagePresence } from '../plugins/contracts.js';
import type { ProcessRunner } from '../process/ProcessRunner.js';
import type { ExporterSet } from '../requirements/ExporterSet.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveStepSettings } from '../settings/resolveStepSettings.js';
import { checkIntegrationNames } from '../requirements/checkIntegrationNames.js';
import { TOKENS } from '../tokens.js';
import { gatherPlanInputs } from './gatherPlanInputs.js';
import { planBuild } from './planBuild.js';
import { detectPythonVersion } from './detectPythonVersion.js';
import type { BuildPlan, PlanInputs, PlanStack } from './types.js';

export interface PlanOptions {
  preventBuildReuse?: boolean;
  /**
   * How to treat a reuse candidate whose existence cannot be checked (no engine, registry
   * unreachable): `plan` keeps it (noting it is unverified), `build` rebuilds.
   */
  mode?: 'plan' | 'build';
  signal?: AbortSignal;
}

/** Gather (I/O) → planBuild (pure) → verify reuse candidates exist → final plan. */
@injectable()
export class Planner {
  constructor(
    @inject(TOKENS.ProjectConfig) private readonly project: ProjectConfig,
    @inject(TOKENS.PlanStack) private readonly stack: PlanStack,
    @inject(TOKENS.Exporters) private readonly exporters: ExporterSet,
    @inject(TOKENS.Integrations) private readonly integrations: IntegrationCatalog,
    @inject(TOKENS.ProcessRunner) private readonly runner: ProcessRunner,
    @inject(TOKENS.BuildStore) private readonly store: BuildStore,
    @inject(TOKENS.ImageBuilder) private readonly imageBuilder: Lazy<ImageBuilder>,
    @inject(TOKENS.ContainerRegistry) private readonly registry: Lazy<ContainerRegistry | null>,
    @inject(TOKENS.CodeRepository) private readonly codeRepository: Lazy<CodeRepository | null>,
  ) {}

  async gather(options: PlanOptions = {}): Promise<{ inputs: PlanInputs; warnings: WarningList }> {
    const resolved = resolveStepSettings(this.project);
    checkIntegrationNames(this.project, this.integrations);
    const warnings = resolved.warnings;
    const pythonVersion = this.project.pythonVersion ?? (await detectPythonVersion(this.runner, (w) => warnings.add(w), this.project.root, this.project.env));
    const repository = await this.codeRepository.get();
    const repo = repository ? await repository.localContext(this.project.sourceRoot) : null;
    const inputs = await gatherPlanInputs({
      project: this.project,
      resolved,
      stack: this.stack,
      pythonVersion,
      exporters: this.exporters,
      integrations: this.integrations,
      codeRepository: repo,
      previousBuilds: await this.store.list(),
      preventBuildReuse: options.preventBuildReuse,
      warn: (w) => warnings.add(w),
      signal: options.signal,
    });
    return { inputs, warnings };
  }

  async plan(options: PlanOptions = {}): Promise<BuildPlan> {
    const { inputs, warnings } = await this.gather(options);
    let plan = planBuild(inputs, warnings.items);
    const unavailable: string[] = [];
    const unverified = new Set<string>();
    for (const image of plan.images) {
      if (image.action !== 'reuse') continue;
      const presence = await this.presence(image.imageName);
      if (presence === 'absent' || (presence === 'unknown' && options.mode === 'build')) unavailable.push(image.imageName);
      else if (presence === 'unknown') unverified.add(image.key);
    }
    if (unavailable.length) plan = planBuild({ ...inputs, unavailableImages: unavailable }, warnings.items);
    for (const image of plan.images) {
      if (unverified.has(image.key) && image.action === 'reuse') image.why.push('(could not check that the image still exists)');
    }
    return plan;
  }

  /** With a registry the registry is asked; otherwise the builder (local images). */
  private async presence(reference: string): Promise<ImagePresence> {
    try {
      const registry = this.stack.containerRegistry ? await this.registry.get() : null;
      if (registry) return await registry.imageExists(reference);
      const builder = await this.imageBuilder.get();
      return builder.imageExists ? await builder.imageExists(reference) : 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
