import { readFile } from 'node:fs/promises';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import { sourceDigest } from '../context/sourceDigest.js';
import type { Warning } from '@stowage/plugin-api';
import type { PipelineBuild } from '../builds/PipelineBuild.js';
import type { LocalCodeContext } from '../plugins/contracts.js';
import type { ExportResult } from '../plugins/contracts.js';
import type { ExporterSet } from '../requirements/ExporterSet.js';
import { gatherRequirementFiles } from '../requirements/gatherRequirementFiles.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { resolveSettingsPath, type ResolvedProjectSettings } from '../settings/resolveStepSettings.js';
import { decideCodeStrategy } from './codeStrategy.js';
import { stowageStateDir } from './planImage.js';
import { settingsKey } from './planBuild.js';
import type { GatheredInputs, PlanInputs, PlanStack, PreviousImage } from './types.js';

export interface GatherOptions {
  project: ProjectConfig;
  resolved: ResolvedProjectSettings;
  stack: PlanStack;
  pythonVersion: string;
  exporters: ExporterSet;
  integrations: IntegrationCatalog;
  codeRepository: LocalCodeContext | null;
  previousBuilds: readonly PipelineBuild[];
  preventBuildReuse?: boolean;
  warn(w: Warning): void;
  signal?: AbortSignal;
}

/**
 * The I/O before planning: requirement exports (each once per plan), the user's Dockerfiles,
 * digests of the files that would go into contexts, and the recorded builds.
 */
export async function gatherPlanInputs(o: GatherOptions): Promise<PlanInputs> {
  const { project, stack } = o;
  const distinct = new Map<string, ResolvedDockerSettings>();
  for (const s of [o.resolved.pipeline, ...o.resolved.steps.map((step) => step.settings)]) distinct.set(settingsKey(s), s);

  const exportCache = new Map<string, Promise<ExportResult>>();
  const digestCache = new Map<string, Promise<string>>();
  const digestFolder = (root: string, dockerignore: string | undefined): Promise<string> => {
    const key = `${root}\0${dockerignore ?? ''}`;
    let p = digestCache.get(key);
    if (!p) {
      p = selectSourceFiles(root, dockerignore ?? null, [stowageStateDir(project.root)]).then((selection) => {
        for (const w of selection.warnings) o.warn(w);
        return sourceDigest(selection);
      });
      digestCache.set(key, p);
    }
    return p;
  };

  const gathered: Record<string, GatheredInputs> = {};
  for (const [key, s] of distinct) {
    if (s.skip_build) {
      gathered[key] = { requirementFiles: [], integrationAptPackages: [] };
      continue;
    }
    const req = await gatherRequirementFiles(s, {
      projectRoot: project.root,
      sourceRoot: project.sourceRoot,
      stack,
      exporters: o.exporters,
      integrations: o.integrations,
      cache: exportCache,
      warn: o.warn,
      signal: o.signal,
    });
    const g: GatheredInputs = { requirementFiles: req.files, integrationAptPackages: req.integrationAptPackages };
    if (s.dockerfile) {
      const path = resolveSettingsPath(project.root, s.dockerfile);
      g.userDockerfile = { path, content: await readFile(path, 'utf8') };
      if (s.build_context_root) {
        const ignore = s.parent_image_build_config?.dockerignore;
        g.dockerfileContextDigest = await digestFolder(
          resolveSettingsPath(project.root, s.build_context_root),
          ignore ? resolveSettingsPath(project.root, ignore) : undefined,
        );
      }
    }
    if (decideCodeStrategy(s, o.codeRepository, stack).strategy === 'include') {
      const ignore = s.build_config?.dockerignore;
      g.sourceDigest = await digestFolder(project.sourceRoot, ignore ? resolveSettingsPath(project.root, ignore) : undefined);
    }
    gathered[key] = g;
  }

  return {
    pipelineName: project.pipelineName,
    pythonVersion: o.pythonVersion,
    defaultParentImage: project.defaultParentImage,
    projectRoot: project.root,
    sourceRoot: project.sourceRoot,
    stack,
    pipelineSettings: o.resolved.pipeline,
    steps: o.resolved.steps,
    gathered,
    codeRepository: o.codeRepository,
    previousImages: previousImagesOf(o.previousBuilds, project.pipelineName),
    preventBuildReuse: o.preventBuildReuse,
  };
}

export function previousImagesOf(builds: readonly PipelineBuild[], pipeline: string): PreviousImage[] {
  return builds
    .filter((b) => b.pipeline === pipeline)
    .flatMap((b) =>
      b.images
        .filter((i) => i.action === 'built' || i.action === 'reused')
        .map((i) => ({
          buildId: b.id,
          created: b.created,
          stackName: b.stack.name,
          stackChecksum: b.stack.checksum,
          key: i.key,
          checksum: i.checksum,
          checksumInputs: i.checksumInputs,
          imageName: i.imageName,
          imageReference: i.imageReference,
        })),
    );
}
