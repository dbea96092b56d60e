import type { ExportResult, Warning } from '@stowage/plugin-api';
import { selectSourceFiles } from '../context/selectSourceFiles.js';
import { cachedSourceDigest } from '../context/cachedSourceDigest.js';
import { envFileWarnings } from '../context/envFileWarnings.js';
import { keepSourceSnapshot, sourceSnapshotKey } from '../context/sourceSnapshots.js';
import type { ContextSelection } from '../context/ContextSelection.js';
import { CONTEXT_FILES_LIMIT } from '../model/inputChanges.js';
import type { CodeCheckoutState, ContextFiles, GatheredInputs, PlanStack } from '../model/plan.js';
import type { ResolvedStep } from '../model/resolved.js';
import { notPipelineCode, stowageStateDir } from '../model/stateDir.js';
import { decideCodeStrategy } from '../plan/codeStrategy.js';
import { needsSourceDigest } from '../plan/planNeeds.js';
import type { ExporterSet } from '../requirements/ExporterSet.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveSettingsPath } from '../resolve/resolveProject.js';
import { readProjectFile } from '../files/readProjectFile.js';
import { gatherRequirementFiles } from './gatherRequirementFiles.js';

export interface SettingsGatherContext {
  projectRoot: string;
  configFile?: string;
  sourceRoot: string;
  stack: PlanStack;
  exporters: ExporterSet;
  integrations: IntegrationCatalog;
  pythonVersion: string;
  codeCheckout: CodeCheckoutState | null;
  warn(w: Warning): void;
  signal?: AbortSignal;
  /** Where the files of each context folder digested go, by its digest (what `plan` names when they change). */
  contextFiles?: Record<string, ContextFiles>;
}

/**
 * The I/O one image's settings need: requirement exports (each once per plan), the user's
 * Dockerfile, and digests of the files that would go into its contexts (each folder once).
 */
export function settingsGatherer(ctx: SettingsGatherContext): (step: ResolvedStep) => Promise<GatheredInputs> {
  const exportCache = new Map<string, Promise<ExportResult>>();
  const digestCache = new Map<string, Promise<string>>();
  const digestFolder = (root: string, dockerignore: string | undefined): Promise<string> => {
    const key = `${root}\0${dockerignore ?? ''}`;
    let p = digestCache.get(key);
    if (!p) {
      const exclude = notPipelineCode(ctx.projectRoot, ctx.configFile);
      p = selectSourceFiles(root, dockerignore ?? null, exclude).then((selection) => {
        for (const w of [...selection.warnings, ...envFileWarnings(selection)]) ctx.warn(w);
        return digestWithFiles(selection, stowageStateDir(ctx.projectRoot), ctx.contextFiles, sourceSnapshotKey(root, dockerignore ?? null, exclude));
      });
      digestCache.set(key, p);
    }
    return p;
  };
  const path = (value: string | undefined) => (value ? resolveSettingsPath(ctx.projectRoot, value) : undefined);
  return async (step) => {
    const s = step.settings;
    if (s.skip_build) return { requirementFiles: [], integrationAptPackages: [] };
    const fromRepository = decideCodeStrategy(s, ctx.codeCheckout, ctx.stack).strategy === 'code-repository';
    const req = await gatherRequirementFiles(step, { ...ctx, cache: exportCache }, fromRepository);
    const g: GatheredInputs = { requirementFiles: req.files, integrationAptPackages: req.integrationAptPackages };
    if (s.dockerfile) {
      const file = path(s.dockerfile)!;
      g.userDockerfile = { path: file, content: readProjectFile(file, { what: 'the Dockerfile', code: 'DOCKERFILE_NOT_FOUND' }) };
      if (s.build_context_root) g.dockerfileContextDigest = await digestFolder(path(s.build_context_root)!, path(s.parent_image_build_config?.dockerignore));
    }
    if (needsSourceDigest(step, ctx.codeCheckout, ctx.stack)) {
      g.sourceDigest = await digestFolder(ctx.sourceRoot, path(s.build_config?.dockerignore));
    }
    return g;
  };
}

/**
 * The selection's digest; with a sink, also its file count, size and (up to CONTEXT_FILES_LIMIT
 * files) each file's digest, taken from the same pass and cache, so that no file is read twice.
 */
async function digestWithFiles(selection: ContextSelection, stateDir: string, sink: Record<string, ContextFiles> | undefined, snapshotKey: string): Promise<string> {
  const files = new Map<string, string>();
  const digest = await cachedSourceDigest(selection, stateDir, undefined, files);
  keepSourceSnapshot(snapshotKey, { selection, files, digest });
  if (sink) sink[digest] = { count: files.size, bytes: selection.totalBytes, files: files.size <= CONTEXT_FILES_LIMIT ? Object.fromEntries(files) : undefined };
  return digest;
}
