import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { StowageError, type ImagePresence, type ProcessRunner, type WarningList } from '@stowage/plugin-api';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import type { CodeArchiveState, CodeCheckoutState, ContextFiles, GatheredInputs, GivenBuild, PlanInputs, PlanStack } from '../model/plan.js';
import { notPipelineCode } from '../model/stateDir.js';
import { settingsKey } from '../plan/planBuild.js';
import { needsCodeArchive, needsCodeCheckout, reuseCandidates, stagedContextKeys, type ReuseCandidate } from '../plan/planNeeds.js';
import type { BuildStore } from '../record/BuildStore.js';
import { previousImagesOf } from '../record/previousImages.js';
import type { ExporterSet } from '../requirements/ExporterSet.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import type { ResolvedProject } from '../resolve/resolveProject.js';
import type { StackComponents } from '../stack/openStack.js';
import { TOKENS } from '../tokens.js';
import { checkSettingsPaths } from './checkSettingsPaths.js';
import { detectPythonVersion } from './detectPythonVersion.js';
import { gatherCodeArchive, gatherCodeCheckout } from './gatherCodeState.js';
import { gatherProvenance } from './gatherProvenance.js';
import { settingsGatherer } from './gatherSettingsInputs.js';
import { loadGivenBuild } from './loadGivenBuild.js';

export interface GatherOptions {
  preventBuildReuse?: boolean;
  /** `--build` (relative to `cwd`), else the config's `build:` (relative to the config folder). */
  givenBuild?: { reference: string; baseDir: string };
  signal?: AbortSignal;
}

/**
 * The gather stage: all the I/O the plan needs and nothing decided — settings paths, Python
 * version, requirement exports, Dockerfiles and digests, the code checkout and archive, recorded
 * builds, the given build, and the presence of the reuse candidates the plan's needs name.
 */
@injectable()
export class InputGatherer {
  constructor(
    @inject(TOKENS.ProjectConfig) private readonly project: ProjectConfig,
    @inject(TOKENS.PlanStack) private readonly stack: PlanStack,
    @inject(TOKENS.Exporters) private readonly exporters: ExporterSet,
    @inject(TOKENS.Integrations) private readonly integrations: IntegrationCatalog,
    @inject(TOKENS.ProcessRunner) private readonly runner: ProcessRunner,
    @inject(TOKENS.BuildStore) private readonly store: BuildStore,
    @inject(TOKENS.StackComponents) private readonly components: StackComponents,
    @inject(TOKENS.ToolVersion) private readonly toolVersion: string,
  ) {}

  async gather(resolved: ResolvedProject, options: GatherOptions = {}): Promise<PlanInputs> {
    const { project } = this;
    const warn = (w: Parameters<WarningList['add']>[0]) => resolved.warnings.add(w);
    const all = [resolved.pipeline, ...resolved.steps];
    checkSettingsPaths(all, project.root);
    const pythonVersion = project.pythonVersion ?? (await detectPythonVersion(this.runner, warn, project.root, project.env));
    const codeCheckout = await this.codeCheckout(all, options.signal);
    const contextFiles: Record<string, ContextFiles> = {};
    const gatherOne = settingsGatherer({ ...this.context(), pythonVersion, codeCheckout, warn, signal: options.signal, contextFiles });
    const gathered: Record<string, GatheredInputs> = {};
    for (const step of all) gathered[settingsKey(step.settings)] ??= await gatherOne(step);
    const listing = await this.store.listing();
    for (const w of listing.warnings) warn(w);
    const builds = listing.builds.filter((b) => b.pipeline === project.pipelineName && b.stack.name === this.stack.name && b.stack.checksum === this.stack.checksum);
    const inputs: PlanInputs = {
      pipelineName: project.pipelineName,
      pythonVersion,
      defaultParentImage: project.defaultParentImage,
      projectRoot: project.root,
      configFile: project.file,
      sourceRoot: project.sourceRoot,
      stack: this.stack,
      pipelineSettings: resolved.pipeline,
      steps: resolved.steps,
      gathered,
      codeCheckout,
      contextFiles,
      codeArchive: await this.codeArchive(all, codeCheckout),
      provenance: await gatherProvenance(project.sourceRoot, this.runner, project.env, this.toolVersion),
      previousImages: previousImagesOf(listing.builds, project.pipelineName),
      previousBuilds: builds.sort((a, b) => b.created.localeCompare(a.created)),
      presence: {},
      preventBuildReuse: options.preventBuildReuse,
      given: await this.givenBuild(options),
    };
    if (inputs.given) return inputs;
    return { ...inputs, presence: await this.presenceOfCandidates(inputs), stagedContexts: await this.stagedContexts(inputs) };
  }

  private context() {
    const { project } = this;
    return { projectRoot: project.root, configFile: project.file, sourceRoot: project.sourceRoot, stack: this.stack, exporters: this.exporters, integrations: this.integrations };
  }

  private async codeCheckout(steps: PlanInputs['steps'], signal?: AbortSignal): Promise<CodeCheckoutState | null> {
    if (!needsCodeCheckout(steps, this.stack)) return null;
    const repositories = this.components.codeRepositories;
    const exclude = notPipelineCode(this.project.root, this.project.file);
    return gatherCodeCheckout({ sourceRoot: this.project.sourceRoot, exclude, runner: this.runner, repositories, env: this.project.env, signal });
  }

  private async codeArchive(steps: PlanInputs['steps'], checkout: CodeCheckoutState | null): Promise<CodeArchiveState | undefined> {
    const store = this.components.artifactStore;
    if (!store || !needsCodeArchive(steps, checkout, this.stack)) return undefined;
    return gatherCodeArchive(this.project.sourceRoot, notPipelineCode(this.project.root, this.project.file), store, this.runner);
  }

  private async givenBuild(options: GatherOptions): Promise<GivenBuild | undefined> {
    const given = options.givenBuild ?? (this.project.build ? { reference: this.project.build, baseDir: this.project.root } : undefined);
    if (!given) return undefined;
    const loaded = await loadGivenBuild(given.reference, this.store, given.baseDir);
    const stored = loaded.fromFile ? (await this.store.list()).some((b) => b.id === loaded.build.id) : true;
    return { build: loaded.build, from: loaded.fromFile ? 'file' : 'store', reference: given.reference, stored };
  }

  /** The plan's needs (pure): recorded images it could reuse. Each is asked of the registry or engine. */
  private async presenceOfCandidates(inputs: PlanInputs): Promise<Record<string, ImagePresence>> {
    const presence: Record<string, ImagePresence> = {};
    for (const candidates of reuseCandidates(inputs)) {
      for (const candidate of candidates) {
        presence[candidate.key] ??= await this.presence(candidate);
        if (presence[candidate.key] === 'present') break;
      }
    }
    return presence;
  }

  /** Which of the contexts the plan would stage are in the artifact store already. */
  private async stagedContexts(inputs: PlanInputs): Promise<Record<string, boolean>> {
    const keys = stagedContextKeys(inputs);
    const store = this.components.artifactStore;
    if (!keys.length || !store) return {};
    const s = await store.get();
    return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await s.exists(key)] as const)));
  }

  /**
   * With a registry the registry is asked (pushed images are referenced by digest); otherwise the
   * builder, with the recorded image id: a name on the engine proves nothing about what it names.
   */
  private async presence({ imageReference, imageId }: ReuseCandidate): Promise<ImagePresence> {
    try {
      const registry = this.components.containerRegistry;
      if (registry) return await (await registry.get()).imageExists(imageReference);
      const builder = await this.components.imageBuilder.get();
      return builder.imageExists ? await builder.imageExists(imageReference, imageId) : 'unknown';
    } catch (error) {
      // A component that says why it cannot tell (refused keys) is heard; anything else is "unknown".
      if (StowageError.isInstance(error)) throw error;
      return 'unknown';
    }
  }
}
