import { isAbsolute, resolve } from 'node:path';
import { WarningList, type BuildOptions } from '@stowage/plugin-api';
import { raiseIssues, type ConfigIssue } from '../config/ConfigIssue.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import type { ResolvedStep } from '../model/resolved.js';
import type { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { checkIntegrationNames } from '../requirements/checkIntegrationNames.js';
import { bakedCredentialWarnings } from './bakedCredentials.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import { normalizeSettingsLevel, type NormalizedLevel } from '../settings/normalizeSettings.js';
import { parseDockerPyBuildOptions } from './dockerPyBuildOptions.js';
import { resolveSettings } from './resolveSettings.js';
import { settingsOrigins } from './settingsOrigins.js';

export interface ResolvedProject {
  pipeline: ResolvedStep;
  steps: ResolvedStep[];
  warnings: WarningList;
}

/**
 * The resolve stage (pure): each settings level validated once, then per step the levels merged
 * (step over pipeline, code over YAML, field-level deep merge), with every field's origin kept so
 * later errors point at the file, line and key path that set it.
 */
export function resolveProject(project: ProjectConfig, integrations: IntegrationCatalog): ResolvedProject {
  const warnings = new WarningList();
  warnings.addAll(project.warnings);
  const issues: ConfigIssue[] = [];
  const pipelineLevels = project.pipelineSettings.map(normalizeSettingsLevel);
  const seen = new Set<NormalizedLevel>();
  const collect = (name: string | undefined, command: ResolvedStep['command'], levels: NormalizedLevel[]): ResolvedStep => {
    const r = resolveSettings(levels);
    issues.push(...r.issues);
    warnings.addAll(r.warnings);
    for (const l of levels.filter((x) => !seen.has(x))) {
      warnings.addAll(l.warnings);
      seen.add(l);
    }
    const origins = settingsOrigins(levels, name);
    return { name: name ?? 'pipeline', command, settings: r.settings, buildOptions: typedBuildOptions(r.settings), origins };
  };
  const pipeline = collect(undefined, undefined, pipelineLevels);
  const steps = project.steps.map((step) => collect(step.name, step.command, [...pipelineLevels, ...step.settings.map(normalizeSettingsLevel)]));
  if (issues.length) raiseIssues(dedupe(issues), project.source);
  checkIntegrationNames(project, integrations);
  warnings.addAll(bakedCredentialWarnings([...project.pipelineSettings, ...project.steps.flatMap((s) => s.settings)], project.secrets));
  return { pipeline, steps, warnings };
}

/** Every level's `build_options` were checked at load time with their key paths; this only types them. */
function typedBuildOptions(s: ResolvedDockerSettings): ResolvedStep['buildOptions'] {
  const typed = (raw: Record<string, unknown> | undefined): BuildOptions => parseDockerPyBuildOptions(raw ?? {}).options;
  return { generated: typed(s.build_config?.build_options), dockerfile: typed(s.parent_image_build_config?.build_options) };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.source?.file}|${i.path.join('.')}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Paths in settings resolve against the config file's folder (ZenML used the CWD; see README). */
export function resolveSettingsPath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}
