import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Warning } from '@stowage/plugin-api';
import type { FieldOrigin } from '../model/origin.js';
import type { ExportResult } from '@stowage/plugin-api';
import type { PlanStack, RequirementFile } from '../model/plan.js';
import { locationOf } from '../model/origin.js';
import type { ResolvedStep } from '../model/resolved.js';
import { withOrigin } from '../model/atOrigin.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { resolveSettingsPath } from '../resolve/resolveProject.js';
import { readProjectFile } from '../files/readProjectFile.js';
import type { ExporterSet } from '../requirements/ExporterSet.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';

export interface RequirementsContext {
  projectRoot: string;
  sourceRoot: string;
  stack: Pick<PlanStack, 'requirements' | 'extraRequirementFiles' | 'codeRepositoryRequirements'>;
  exporters: ExporterSet;
  integrations: IntegrationCatalog;
  /** Python X.Y of the pipeline: picks an integration's Python-specific requirements (ZenML used its client's). */
  pythonVersion?: string;
  /** Export results by input, shared by every image of one plan: each export runs once. */
  cache: Map<string, Promise<ExportResult>>;
  warn(w: Warning): void;
  signal?: AbortSignal;
}

export interface GatheredRequirements {
  files: RequirementFile[];
  integrationAptPackages: string[];
}

export const requirementFileName = (source: string): string => `.stowage_${source}_requirements`;

function cached(ctx: RequirementsContext, key: string, run: () => Promise<ExportResult>): Promise<ExportResult> {
  let p = ctx.cache.get(key);
  if (!p) {
    p = run();
    ctx.cache.set(key, p);
  }
  return p;
}

/** Export failures (core's or a plugin's) point at the setting that asked for the export. */
async function located<T>(origin: FieldOrigin, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw withOrigin(error, origin);
  }
}

const lines = (items: readonly string[]): string => (items.length ? `${items.join('\n')}\n` : '');

/**
 * The requirement files of one image, in ZenML's order (§2.4): local environment, stack, extra
 * component files, integrations, pyproject, user. Each is a named file in the image.
 */
export async function gatherRequirementFiles(resolved: ResolvedStep, ctx: RequirementsContext, codeFromRepository = false): Promise<GatheredRequirements> {
  const s = resolved.settings;
  const at = (field: string) => resolved.origins.of(field);
  const files: RequirementFile[] = [];
  const exportCtx = { projectRoot: ctx.projectRoot, signal: ctx.signal };
  const { userFile, pyproject } = detectImplicitSources(s, ctx, at);

  if (s.replicate_local_python_environment !== undefined && s.replicate_local_python_environment !== false) {
    const method = s.replicate_local_python_environment;
    const field = 'replicate_local_python_environment';
    const result = await located(at(field), () => cached(ctx, `env:${JSON.stringify(method)}`, () => ctx.exporters.exportEnvironment(method, exportCtx)));
    reportDropped(ctx, result, 'the local environment export', at(field));
    files.push({ name: requirementFileName('local'), source: 'local', content: result.requirements });
  }
  const stackRequirements = [...ctx.stack.requirements, ...(codeFromRepository ? (ctx.stack.codeRepositoryRequirements?.pip ?? []) : [])];
  if (s.install_stack_requirements && stackRequirements.length) {
    files.push({ name: requirementFileName('stack'), source: 'stack', content: lines([...new Set(stackRequirements)].sort()) });
  }
  if (s.install_deployment_requirements) {
    for (const [name, reqs] of Object.entries(ctx.stack.extraRequirementFiles)) {
      if (reqs.length) files.push({ name, source: 'deployment', content: lines([...new Set(reqs)].sort()) });
    }
  }
  const integrations = ctx.integrations.select(s.required_integrations, at('required_integrations').keyPath, ctx.pythonVersion);
  if (integrations.requirements.length) {
    files.push({ name: requirementFileName('integration'), source: 'integration', content: lines(integrations.requirements) });
  }
  if (pyproject) {
    const dir = dirname(pyproject);
    const command = s.pyproject_export_command;
    const field = command ? 'pyproject_export_command' : s.pyproject_path ? 'pyproject_path' : 'disable_automatic_requirements_detection';
    const result = await located(at(field), () =>
      cached(ctx, `pyproject:${pyproject}:${JSON.stringify(command ?? null)}`, () => ctx.exporters.exportPyproject(dir, command, exportCtx)),
    );
    reportDropped(ctx, result, 'the pyproject export', at(field));
    files.push({ name: requirementFileName('pyproject'), source: 'pyproject', content: result.requirements });
  }
  const user = await located(at('requirements'), () => userRequirements(s, userFile, ctx));
  if (user) files.push({ name: requirementFileName('user'), source: 'user', content: user });
  return { files, integrationAptPackages: integrations.aptPackages };
}

/** Explicit `pyproject_path`, or (detection on, no other Python source) a requirements.txt / pyproject.toml in the source root. */
function detectImplicitSources(
  s: ResolvedDockerSettings,
  ctx: RequirementsContext,
  at: (field: string) => FieldOrigin,
): { userFile?: string; pyproject?: string } {
  const explicitPyproject = s.pyproject_path ? resolveSettingsPath(ctx.projectRoot, s.pyproject_path) : undefined;
  // ZenML tests truthiness: `requirements: []` names no requirement, so detection still runs.
  const anyExplicit = s.replicate_local_python_environment || (Array.isArray(s.requirements) ? s.requirements.length > 0 : !!s.requirements) || s.pyproject_path;
  if (anyExplicit) return { pyproject: explicitPyproject };
  const candidates = [join(ctx.sourceRoot, 'requirements.txt'), join(ctx.sourceRoot, 'pyproject.toml')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) return {};
  if (s.disable_automatic_requirements_detection) {
    ctx.warn({
      message: `found ${found} but automatic requirements detection is off; set \`disable_automatic_requirements_detection: false\` to install it, or name it in \`requirements\` / \`pyproject_path\``,
      ...locationOf(at('disable_automatic_requirements_detection')),
    });
    return {};
  }
  ctx.warn({ message: `implicitly including ${found}`, ...locationOf(at('disable_automatic_requirements_detection')) });
  return found.endsWith('.txt') ? { userFile: found } : { pyproject: found };
}

async function userRequirements(s: ResolvedDockerSettings, implicitFile: string | undefined, ctx: RequirementsContext): Promise<string> {
  if (Array.isArray(s.requirements) && s.requirements.length) return lines(s.requirements);
  // Deliberately relative to the config file's folder, not the CWD (ZenML used the CWD).
  const file = typeof s.requirements === 'string' ? resolveSettingsPath(ctx.projectRoot, s.requirements) : implicitFile;
  if (!file) return '';
  return readProjectFile(file, { what: 'the requirements file', code: 'REQUIREMENTS_NOT_FOUND', hint: 'relative paths are resolved against the folder of the config file' });
}

function reportDropped(ctx: RequirementsContext, result: ExportResult, what: string, origin: FieldOrigin): void {
  for (const d of result.dropped ?? []) {
    ctx.warn({ message: `left out of ${what}: ${d.line} (${d.reason})`, ...locationOf(origin) });
  }
}
