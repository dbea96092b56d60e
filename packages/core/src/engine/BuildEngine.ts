import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { BuildStore } from '../builds/BuildStore.js';
import type { BuildImage, PipelineBuild } from '../builds/PipelineBuild.js';
import { StowageError } from '@stowage/plugin-api';
import type { Lazy } from '../plugins/Lazy.js';
import type { ArtifactStore, BuildEvent, ContainerRegistry, ImageBuilder } from '../plugins/contracts.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { uploadCodeArchive } from './uploadCodeArchive.js';
import { stowageStateDir } from '../plan/planImage.js';
import { planChecksum } from '../builds/useGivenBuild.js';
import type { BuildPlan, PlannedImage, PlanStack } from '../plan/types.js';
import type { Redactor } from '../settings/Redactor.js';
import { TOKENS } from '../tokens.js';
import { runLimited } from './runLimited.js';
import { openBuildContext } from './openBuildContext.js';

export type EngineEvent =
  | { type: 'image-start'; key: string; imageName: string; role: 'dockerfile' | 'generated' }
  | { type: 'image-event'; key: string; event: BuildEvent }
  | { type: 'image-done'; key: string; imageName: string; digest?: string }
  | { type: 'image-skipped'; key: string; action: PlannedImage['action']; imageName: string };

export interface ExecuteOptions {
  /** Images built at once (default: 2 for a local builder, 4 for a remote one). */
  jobs?: number;
  signal?: AbortSignal;
  onEvent?(event: EngineEvent): void;
}

export interface ExecuteResult {
  build: PipelineBuild;
  /** False when nothing was built and an existing build was returned as-is. */
  created: boolean;
  builtImages: number;
}

/**
 * Executes a plan: builds what the planner said to build (independent images in parallel, the
 * Dockerfile-then-generated pair in order), pushes, and records one PipelineBuild. The engine
 * never re-decides: actions come from the plan. A failure or cancel records nothing.
 */
@injectable()
export class BuildEngine {
  constructor(
    @inject(TOKENS.ImageBuilder) private readonly imageBuilder: Lazy<ImageBuilder>,
    @inject(TOKENS.ContainerRegistry) private readonly registry: Lazy<ContainerRegistry | null>,
    @inject(TOKENS.BuildStore) private readonly store: BuildStore,
    @inject(TOKENS.Redactor) private readonly redactor: Redactor,
    @inject(TOKENS.ToolVersion) private readonly toolVersion: string,
    @inject(TOKENS.PlanStack) private readonly stack: PlanStack,
    @inject(TOKENS.ArtifactStore) private readonly artifactStore: Lazy<ArtifactStore | null>,
    @inject(TOKENS.ProjectConfig) private readonly project: ProjectConfig,
  ) {}

  async execute(plan: BuildPlan, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const started = Date.now();
    const emit = options.onEvent ?? (() => {});
    const toBuild = plan.images.filter((i) => i.action === 'build');
    const codeArchive = await this.uploadCode(plan, emit);
    const existing = await this.unchangedBuild(plan, toBuild.length, codeArchive?.digest);
    if (existing) return { build: existing, created: false, builtImages: 0 };

    const results = new Map<string, { imageName: string; digest?: string }>();
    if (toBuild.length) {
      const builder = await this.imageBuilder.get();
      const registry = toBuild.some((i) => i.builds.some((b) => b.push)) ? ((await this.registry.get()) ?? undefined) : undefined;
      const jobs = Math.max(1, options.jobs ?? (builder.capabilities.remote ? 4 : 2));
      const controller = new AbortController();
      const abort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted) abort();
      try {
        await runLimited(toBuild, jobs, controller, async (image) => {
          results.set(image.key, await this.buildImage(image, builder, registry, controller.signal, emit));
        });
      } catch (error) {
        if (options.signal?.aborted) {
          throw new StowageError('build cancelled; nothing was recorded', { code: 'BUILD_CANCELLED', cause: error });
        }
        throw error;
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
    }
    for (const image of plan.images) {
      if (image.action !== 'build') emit({ type: 'image-skipped', key: image.key, action: image.action, imageName: image.imageName });
    }
    const build = this.record(plan, results, (Date.now() - started) / 1000);
    if (codeArchive) build.codeArchive = { url: codeArchive.url, digest: codeArchive.digest };
    await this.store.save(build);
    return { build, created: true, builtImages: toBuild.length };
  }

  private async buildImage(
    image: PlannedImage,
    builder: ImageBuilder,
    registry: ContainerRegistry | undefined,
    signal: AbortSignal,
    emit: NonNullable<ExecuteOptions['onEvent']>,
  ): Promise<{ imageName: string; digest?: string }> {
    let last: { imageName: string; digest?: string } = { imageName: image.imageName };
    for (const b of image.builds) {
      emit({ type: 'image-start', key: image.key, imageName: b.imageName, role: b.role });
      const context = await openBuildContext(b.context);
      if (b.push && !registry) {
        throw new StowageError(`image ${image.key} must be pushed but the stack has no container registry`, { code: 'STACK_INVALID' });
      }
      last = await builder.build({
        imageName: b.imageName,
        context,
        options: b.buildOptions,
        registry: b.push ? registry : undefined,
        platform: b.platform,
        signal,
        onEvent: (event) => emit({ type: 'image-event', key: image.key, event }),
      });
      emit({ type: 'image-done', key: image.key, imageName: last.imageName, digest: last.digest });
    }
    return last;
  }

  /** Images that download their code from the artifact store need the archive there (uploaded once). */
  private async uploadCode(plan: BuildPlan, emit: NonNullable<ExecuteOptions['onEvent']>) {
    const image = plan.images.find((i) => i.code.strategy === 'artifact-store' && i.action !== 'skip-build');
    if (!image) return undefined;
    const store = await this.artifactStore.get();
    if (!store) throw new StowageError('the plan downloads code from the artifact store, but the stack has none', { code: 'STACK_INVALID' });
    const archive = await uploadCodeArchive(this.project.sourceRoot, store, [stowageStateDir(this.project.root)]);
    const message = archive.uploaded ? `uploaded the code to ${archive.url}` : `the code is already in the artifact store (${archive.url})`;
    emit({ type: 'image-event', key: image.key, event: { type: 'status', message } });
    return archive;
  }

  /**
   * Nothing to build, and an earlier build of this pipeline on this stack has exactly these images
   * (same keys, steps and checksums, same code archive): that build is the answer, and no new
   * record is written — so repeated `stowage build` runs do not pile up identical records.
   */
  private async unchangedBuild(plan: BuildPlan, toBuild: number, codeDigest?: string): Promise<PipelineBuild | undefined> {
    if (toBuild > 0) return undefined;
    const candidates = (await this.store.list()).filter(
      (b) => b.pipeline === plan.pipeline && b.stack.name === plan.stack.name && b.stack.checksum === plan.stack.checksum,
    );
    return candidates.find(
      (build) =>
        build.codeArchive?.digest === codeDigest &&
        build.codeReference?.commit === plan.codeCommit &&
        build.images.length === plan.images.length &&
        plan.images.every((i) =>
          build.images.some((b) => b.key === i.key && b.checksum === i.checksum && sameSteps(b.steps, i.steps) && (i.action !== 'reuse' || b.imageReference === i.imageName)),
        ),
    );
  }

  private record(plan: BuildPlan, results: Map<string, { imageName: string; digest?: string }>, seconds: number): PipelineBuild {
    const images: BuildImage[] = plan.images.map((image) => {
      const built = results.get(image.key);
      const imageName = built?.imageName ?? image.imageName;
      return {
        key: image.key,
        steps: image.steps,
        action: image.action === 'build' ? 'built' : image.action === 'reuse' ? 'reused' : image.action,
        imageName,
        digest: built?.digest,
        imageReference: built?.digest ? `${repositoryOf(imageName)}@${built.digest}` : imageName,
        checksum: image.checksum,
        checksumInputs: image.checksumInputs,
        dockerfiles: image.builds.map((b) => ({ role: b.role, imageName: b.imageName, content: this.redactor.redact(b.dockerfile) })),
        requirements: image.requirementFiles.map((f) => ({ name: f.name, source: f.source, content: this.redactor.redact(f.content) })),
        containsCode: image.code.strategy === 'include' && image.action !== 'use-parent',
        codeStrategy: image.code.strategy,
        platform: image.builds.at(-1)?.platform,
        reusedFrom: image.reuse?.buildId,
      };
    });
    return {
      id: this.store.newId(),
      pipeline: plan.pipeline,
      stack: plan.stack,
      checksum: planChecksum(plan),
      images,
      containsCode: images.some((i) => i.containsCode),
      isLocal: !this.stack.containerRegistry,
      codeReference: plan.codeCommit ? { commit: plan.codeCommit } : undefined,
      toolVersion: this.toolVersion,
      pythonVersion: plan.pythonVersion,
      created: new Date().toISOString(),
      durationSeconds: Math.round(seconds * 10) / 10,
    };
  }
}

function sameSteps(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}

/** `host:5000/repo/name:tag` → `host:5000/repo/name` (a port is not a tag). */
export function repositoryOf(imageName: string): string {
  const at = imageName.indexOf('@');
  const name = at >= 0 ? imageName.slice(0, at) : imageName;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
